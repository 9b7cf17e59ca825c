import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { useMessagingStack } from '../support/fixtures';
import { clientIp, randomPhone, readOtp } from '../support/messaging';
import { testRandom } from '../support/random';
import { eventually } from '../support/stack';
import { bearer, createUser } from './support';

describe('ledger attached to registration', () => {
  const fx = useMessagingStack({ bridge: false }, ({ stack }) => ({ money: createLedgerServices(stack.orm) }));

  async function register(referral_code?: string) {
    const phone = randomPhone();
    const ip = clientIp();
    const sent = await fx.api().post('/api/auth/get-otp').set('X-Forwarded-For', ip).send({ identifier: phone });
    const code = await readOtp(fx.boxes, phone, 1);
    // The inbox can show the code a moment before the OTP workflow records the delivery.
    const verification_token = await eventually(
      async () => {
        const v = await fx.api().post('/api/auth/verify-otp').set('X-Forwarded-For', ip).send({ challenge_id: sent.body.data.challenge_id, code });
        return v.status === 200 ? (v.body.data.verification_token as string) : null;
      },
      5_000,
      100,
    );
    const res = await fx
      .api()
      .post('/api/auth/register')
      .send({ verification_token, username: `u${testRandom().text(10)}`, ...(referral_code ? { referral_code } : {}) });
    expect(res.status).toBe(201);
    return res.body.data as { access_token: string; user: { id: string } };
  }

  it("when a user registers with a friend's code, then wallet and points accounts exist, 50 points are given and the referral waits for a first rental", async () => {
    const inviter = await createUser(fx.stack.orm);
    const code = (
      await fx
        .api()
        .get('/api/referral/my-code')
        .set(await bearer(fx.stack, inviter))
    ).body.data.inviter_code;
    const { access_token, user } = await register(code.toLowerCase());

    const accounts = await fx.stack.orm.em
      .getConnection()
      .execute(`select kind, currency, guarded from ledger_accounts where owner_type = 'user' and owner_id = ? order by kind`, [user.id]);
    expect(accounts).toEqual([
      { kind: 'points', currency: 'PTS', guarded: true },
      { kind: 'wallet', currency: 'NPR', guarded: true },
    ]);
    const summary = await fx.api().get('/api/points/summary').set('Authorization', `Bearer ${access_token}`);
    expect(summary.body.data).toMatchObject({ current_points: 50, earned_by_source: { signup: 50 } });
    const [ref] = await fx.stack.orm.em.getConnection().execute(`select inviter_id, status from referrals where invitee_id = ?`, [user.id]);
    expect(ref).toEqual({ inviter_id: inviter, status: 'pending' });

    await fx.money.points.awardCompletedRental(user.id, `rental-of-${user.id}`);
    await fx.money.referrals.awardReferralOnFirstRental(user.id);
    expect((await fx.money.ledger.balances(user.id, 'NPR')).points).toBe(50 + 5 + 50);
    expect((await fx.money.ledger.balances(inviter, 'NPR')).points).toBe(100);
  });

  it('when a user registers with an unknown code, then registration still succeeds with the signup bonus and no referral', async () => {
    const { user } = await register('NOSUCHCODE');
    expect((await fx.money.ledger.balances(user.id, 'NPR')).points).toBe(50);
    expect(await fx.stack.orm.em.getConnection().execute(`select 1 from referrals where invitee_id = ?`, [user.id])).toEqual([]);
  });
});
