import { randomUUID } from 'node:crypto';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { useTestStack } from '../support/fixtures';
import { bearer, createUser } from './support';

describe('points and referrals over HTTP', () => {
  const fx = useTestStack({ worker: false, bridge: false }, ({ stack }) => ({ money: createLedgerServices(stack.orm) }));
  const as = (userId: string) => bearer(fx.stack, userId);

  it('when a user registers twice and tops up NPR 250, then signup gives 50 points once and the top-up 20', async () => {
    const userId = await createUser(fx.stack.orm);
    await fx.money.points.onUserRegistered(userId, 'NPR');
    await fx.money.points.onUserRegistered(userId, 'NPR');
    const intentId = randomUUID();
    await fx.money.points.awardTopup(userId, intentId, 25_000);
    await fx.money.points.awardTopup(userId, intentId, 25_000);
    const summary = await fx
      .api()
      .get('/api/points/summary')
      .set(await as(userId));
    expect(summary.body.data).toMatchObject({ current_points: 70, points_value: '7.00', total_earned: 70, earned_by_source: { signup: 50, topup: 20 } });
    const history = await fx
      .api()
      .get('/api/points/history?page_size=1')
      .set(await as(userId));
    expect(history.body.data.results).toEqual([expect.objectContaining({ points: 20, type: 'earned', source: 'topup', balance_after: 70 })]);
    expect(history.body.data.pagination).toMatchObject({ total: 2, total_pages: 2 });
  });

  it('when an invitee claims a code and completes a first rental, then inviter gets 100 and invitee 50, once', async () => {
    const inviter = await createUser(fx.stack.orm, { username: `inv${randomUUID().slice(0, 8)}` });
    const invitee = await createUser(fx.stack.orm);
    const code = (
      await fx
        .api()
        .get('/api/referral/my-code')
        .set(await as(inviter))
    ).body.data.inviter_code;
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(
      (
        await fx
          .api()
          .get('/api/referral/my-code')
          .set(await as(inviter))
      ).body.data.inviter_code,
    ).toBe(code);
    expect((await fx.api().get(`/api/referral/validate?code=${code.toLowerCase()}`)).body.data).toMatchObject({ valid: true, code });
    expect((await fx.api().get('/api/referral/validate?code=NOPE2345')).body.data).toMatchObject({ valid: false });

    const own = await fx
      .api()
      .post('/api/referral/claim')
      .set(await as(inviter))
      .send({ referral_code: code });
    expect(own.status).toBe(400);
    const claim = await fx
      .api()
      .post('/api/referral/claim')
      .set(await as(invitee))
      .send({ referral_code: code });
    expect(claim.body.data).toMatchObject({ status: 'pending' });
    expect(
      (
        await fx
          .api()
          .post('/api/referral/claim')
          .set(await as(invitee))
          .send({ referral_code: code })
      ).status,
    ).toBe(409);
    expect(await fx.money.ledger.balances(inviter, 'NPR')).toMatchObject({ points: 0 });

    const rentalId = randomUUID();
    await fx.money.points.awardCompletedRental(invitee, rentalId);
    await fx.money.referrals.awardReferralOnFirstRental(invitee);
    await fx.money.points.awardCompletedRental(invitee, rentalId);
    await fx.money.referrals.awardReferralOnFirstRental(invitee);
    expect((await fx.money.ledger.balances(inviter, 'NPR')).points).toBe(100);
    expect((await fx.money.ledger.balances(invitee, 'NPR')).points).toBe(55);
    expect(
      (
        await fx
          .api()
          .get('/api/points/summary')
          .set(await as(inviter))
      ).body.data.referrals,
    ).toEqual({ successful: 1, pending: 0 });
  });

  it("when a rider who already completed a rental, or who invited the code's owner, claims a code, then 409 REFERRAL_NOT_ELIGIBLE and no points move", async () => {
    const owner = await createUser(fx.stack.orm);
    const veteran = await createUser(fx.stack.orm);
    const code = (
      await fx
        .api()
        .get('/api/referral/my-code')
        .set(await as(owner))
    ).body.data.inviter_code;
    await fx.money.points.awardCompletedRental(veteran, randomUUID());
    const late = await fx
      .api()
      .post('/api/referral/claim')
      .set(await as(veteran))
      .send({ referral_code: code });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('REFERRAL_NOT_ELIGIBLE');

    // owner invites a newcomer; the newcomer cannot then claim the owner as their own invitee.
    const newcomer = await createUser(fx.stack.orm);
    const newcomerCode = (
      await fx
        .api()
        .get('/api/referral/my-code')
        .set(await as(newcomer))
    ).body.data.inviter_code;
    expect(
      (
        await fx
          .api()
          .post('/api/referral/claim')
          .set(await as(newcomer))
          .send({ referral_code: code })
      ).status,
    ).toBe(200);
    const circular = await fx
      .api()
      .post('/api/referral/claim')
      .set(await as(owner))
      .send({ referral_code: newcomerCode });
    expect(circular.status).toBe(409);
    expect(circular.body.error.code).toBe('REFERRAL_NOT_ELIGIBLE');

    const linked = await fx.stack.orm.em
      .getConnection()
      .execute<{ invitee_id: string }[]>(`select invitee_id from referrals where inviter_id = ? or invitee_id in (?, ?)`, [owner, veteran, owner]);
    expect(linked.map((r) => r.invitee_id)).toEqual([newcomer]);
    expect((await fx.money.ledger.balances(owner, 'NPR')).points).toBe(0);
    expect((await fx.money.ledger.balances(veteran, 'NPR')).points).toBe(5);
  });
});
