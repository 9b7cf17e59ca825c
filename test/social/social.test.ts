import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createSocialActivities } from '../../src/modules/social';
import { bearer } from '../money/support';
import { keepHistory } from '../support/record-history';
import { api, balances, createRenter, entriesOf, rentalInStatus, sql, startBody, useRentalStack } from '../rentals/support';

/**
 * Leaderboard and achievements. Achievements are global, so the ones these tests create either
 * reward nothing or need more than any other test's rider reaches, and are deactivated after.
 */
describe('social: achievements and leaderboard', () => {
  const fx = useRentalStack();
  const social = () => createSocialActivities({ orm: fx.stack.orm, timelyReturnBonusPoints: 5 });
  const admin = async () => bearer(fx.stack, randomUUID(), 'admin');
  const createAchievement = async (body: Record<string, unknown>) =>
    request(fx.stack.baseUrl)
      .post('/api/admin/achievements')
      .set(await admin())
      .send(body);
  const deactivate = async (id: string) =>
    request(fx.stack.baseUrl)
      .put(`/api/admin/achievements/${id}`)
      .set(await admin())
      .send({ active: false });

  it('when a rental is returned on time through the rental workflow, then the timely bonus is paid, the totals count it and an achievement unlocks', async () => {
    const code = `first-return-${randomUUID().slice(0, 8)}`;
    const made = await createAchievement({ code, name: 'First return', criteria: { type: 'timely_returns', threshold: 1 }, reward_points: 0 });
    expect(made.status).toBe(201);
    try {
      const renter = await createRenter(fx.stack, { walletMinor: 10_000 });
      const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
      await fx.sim.returnPowerBank(rental.power_bank_sn);
      await rentalInStatus(fx.stack, rental.id, ['completed']);
      // +5 for the completed rental, +5 timely-return bonus (SOCIAL_TIMELY_RETURN_BONUS_POINTS default).
      expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 8000, points: 10 });
      expect((await entriesOf(fx.stack, `points:timely-return:${rental.id}`)).length).toBe(1);
      const mine = (await api(fx.stack, renter.token).get('/users/achievements')).body.data;
      expect(mine.totals).toMatchObject({ rentals_completed: 1, timely_returns: 1, late_returns: 0, points_earned: 5 });
      expect(mine.unlocked).toEqual([expect.objectContaining({ code, points_awarded: 0, progress: { current: 1, target: 1, percent: 100 } })]);
      await keepHistory(
        fx.stack,
        fx.stack.temporal.workflow.getHandle(`rental:${rental.id}`),
        'rental-returned-on-time-social-progress',
        'pre-payment 1H returned on time at the simulator; the settlement recorded social progress (timely-return bonus, an achievement unlocked) behind patched(social-progress-on-settle)',
      );
    } finally {
      await deactivate(made.body.data.id);
    }
  });

  it('when eight rentals of one rider settle at once (and again), then the achievement unlocks exactly once and its reward is posted once', async () => {
    const made = await createAchievement({
      code: `eight-${randomUUID().slice(0, 8)}`,
      name: 'Eight rentals',
      criteria: { type: 'rentals_completed', threshold: 8 },
      reward_points: 40,
    });
    const achievementId = made.body.data.id as string;
    try {
      const rider = await createRenter(fx.stack);
      const rentals = Array.from({ length: 8 }, () => randomUUID());
      const settle = (rentalId: string) => social().recordRentalSettled({ userId: rider.id, rentalId, returned: true, onTime: true, referralAwarded: false });
      const results = await Promise.all([...rentals, ...rentals].map(settle));
      expect(results.flatMap((r) => r.unlocked)).toEqual([made.body.data.code]);

      const unlocks = await sql(fx.stack, `select * from user_achievements where user_id = ? and achievement_id = ?`, [rider.id, achievementId]);
      expect(unlocks).toHaveLength(1);
      expect(await entriesOf(fx.stack, `points:achievement:${achievementId}:${rider.id}`)).toHaveLength(1);
      // 8 timely bonuses of 5, and the reward of 40, once.
      expect((await balances(fx.stack, rider.id)).points).toBe(8 * 5 + 40);
      const mine = (await api(fx.stack, rider.token).get('/users/achievements')).body.data;
      expect(mine.unlocked).toEqual([expect.objectContaining({ id: achievementId, points_awarded: 40 })]);
      expect(mine.totals).toMatchObject({ rentals_completed: 8, timely_returns: 8, points_earned: 80 });

      const list = (
        await request(fx.stack.baseUrl)
          .get('/api/admin/achievements')
          .set(await admin())
      ).body.data;
      expect(list.find((a: { id: string }) => a.id === achievementId).stats).toMatchObject({ unlocks: 1, points_awarded: 40 });
      const analytics = (
        await request(fx.stack.baseUrl)
          .get('/api/admin/achievements/analytics')
          .set(await admin())
      ).body.data;
      expect(analytics.achievements.find((a: { id: string }) => a.id === achievementId)).toMatchObject({ unlocks: 1, points_awarded: 40 });
      expect(analytics.users_with_achievements).toBeGreaterThanOrEqual(1);
    } finally {
      await deactivate(achievementId);
    }
  });

  it('when riders return on time, late, bring a referral or top up, then the leaderboard ranks them by score and ?me=true gives the caller’s place', async () => {
    const [star, late, other] = [await createRenter(fx.stack), await createRenter(fx.stack), await createRenter(fx.stack)];
    for (let i = 0; i < 25; i++)
      await social().recordRentalSettled({ userId: star.id, rentalId: randomUUID(), returned: true, onTime: true, referralAwarded: false });
    await social().recordRentalSettled({ userId: late.id, rentalId: randomUUID(), returned: true, onTime: false, referralAwarded: false });
    const intent = randomUUID();
    await social().recordTopupLanded({ userId: other.id, intentId: intent, pointsAwarded: 20 });
    await social().recordTopupLanded({ userId: other.id, intentId: intent, pointsAwarded: 20 });
    // `other` invited a rider whose rentals complete the referral: counted once, however many rentals follow.
    const invitee = await createRenter(fx.stack);
    await sql(fx.stack, `insert into referrals (invitee_id, inviter_id, code, status, awarded_at) values (?, ?, 'SOCIALTEST', 'awarded', now())`, [
      invitee.id,
      other.id,
    ]);
    for (let i = 0; i < 2; i++)
      await social().recordRentalSettled({ userId: invitee.id, rentalId: randomUUID(), returned: true, onTime: true, referralAwarded: true });

    const board = (await api(fx.stack, late.token).get('/users/leaderboard?period=week&me=true')).body.data;
    expect(board.top[0]).toMatchObject({ rank: 1, user_id: star.id, rentals: 25, timely_returns: 25, points_earned: 125, score: 25 * 10 + 25 * 5 + 12 });
    expect(board.top.length).toBeLessThanOrEqual(10);
    const scores = board.top.map((e: { score: number }) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // A late return counts as a rental and lowers the score: 10 - 10.
    expect(board.me).toMatchObject({ user_id: late.id, rentals: 1, late_returns: 1, score: 0 });
    const mine = (await api(fx.stack, other.token).get('/users/leaderboard?period=all&me=true')).body.data.me;
    expect(mine).toMatchObject({ user_id: other.id, referrals: 1, points_earned: 20, score: 25 + 2 });
    expect(mine.rank).toBeGreaterThan(1);
    const fresh = await createRenter(fx.stack);
    expect((await api(fx.stack, fresh.token).get('/users/leaderboard?me=true')).body.data.me).toBeNull();

    const page = (
      await request(fx.stack.baseUrl)
        .get('/api/admin/leaderboard?period=week&page_size=5')
        .set(await admin())
    ).body.data;
    expect(page.results[0]).toMatchObject({ rank: 1, user_id: star.id });
    expect(page.pagination).toMatchObject({ page: 1, page_size: 5 });
  });

  it('when achievements are managed with bad input, twice the same code, an unknown id, a customer or no token, then 400, 409, 404, 403 and 401', async () => {
    const code = `dup-${randomUUID().slice(0, 8)}`;
    const body = { code, name: 'Never', criteria: { type: 'referrals_completed', threshold: 1000 }, reward_points: 10, active: false };
    expect((await createAchievement(body)).status).toBe(201);
    const again = await createAchievement(body);
    expect([again.status, again.body.error.code]).toEqual([409, 'ACHIEVEMENT_CODE_TAKEN']);
    const fresh = () => `x-${randomUUID().slice(0, 8)}`;
    for (const bad of [
      { ...body, code: 'Bad Code!' },
      { ...body, code: fresh(), criteria: { type: 'nope', threshold: 1 } },
      { ...body, code: fresh(), reward_points: -1 },
      {},
    ]) {
      const res = await createAchievement(bad);
      expect([res.status, res.body.success, res.body.error.code]).toEqual([400, false, 'VALIDATION_ERROR']);
    }
    const put = (id: string, b: object) => admin().then((h) => request(fx.stack.baseUrl).put(`/api/admin/achievements/${id}`).set(h).send(b));
    expect((await put(randomUUID(), { name: 'x' })).status).toBe(404);
    expect((await put('not-a-uuid', { name: 'x' })).status).toBe(400);
    const customer = await bearer(fx.stack, randomUUID());
    for (const [method, path] of [
      ['get', '/api/admin/achievements'],
      ['post', '/api/admin/achievements'],
      ['get', '/api/admin/achievements/analytics'],
      ['get', '/api/admin/leaderboard'],
    ] as const) {
      expect((await request(fx.stack.baseUrl)[method](path).set(customer).send({})).status).toBe(403);
      expect((await request(fx.stack.baseUrl)[method](path).send({})).status).toBe(401);
    }
    expect((await request(fx.stack.baseUrl).get('/api/users/leaderboard')).status).toBe(401);
    expect((await request(fx.stack.baseUrl).get('/api/users/leaderboard?period=year').set(customer)).status).toBe(400);
  });
});
