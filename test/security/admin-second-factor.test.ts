import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Secret, TOTP } from 'otpauth';
import { AuthTokenService } from '../../src/modules/identity/services/auth-token.service';
import { bearer, createUser, usePaymentStack } from '../money/support';
import { adminTotpSecret, customerToken, eventually, totpNow, type TestStack } from '../support/stack';

/** An admin user and a fresh login (OTP done), before any second factor in this session. */
async function adminLogin(stack: TestStack, id: string = randomUUID()) {
  await stack.orm.em.getConnection().execute(`insert into users (id, role) values (?, 'admin') on conflict (id) do nothing`, [id]);
  const pair = await new AuthTokenService({ orm: stack.orm, config: stack.config }).startSession({ id, role: 'admin' });
  return { id, ...pair, auth: { Authorization: `Bearer ${pair.access_token}` } };
}

/** A code of the next 30 s step: accepted (one step of drift) and newer than any code used before it. */
const nextCode = (secret: string) => totpNow(secret, Date.now() + 30_000);

/** A 6-digit string no step of the accepted window (±1) would produce. */
function wrongCode(secret: string) {
  const valid = new Set([-30_000, 0, 30_000, 60_000].map((d) => totpNow(secret, Date.now() + d)));
  let code = '000000';
  while (valid.has(code)) code = String(Number(code) + 1).padStart(6, '0');
  return code;
}

describe('admins: TOTP second factor, step-up for money actions, no self-service money, short sessions', () => {
  const fx = usePaymentStack({ env: { PAYMENT_POLL_SECONDS: '600', ADMIN_SESSION_MAX_HOURS: '2' }, bridge: false });
  const api = () => request(fx.stack.baseUrl);

  it('when an admin logs in without a second factor, then admin routes answer 403 SECOND_FACTOR_REQUIRED until TOTP is set up and confirmed', async () => {
    const admin = await adminLogin(fx.stack);
    expect((await api().get('/api/admin/refunds').set(admin.auth)).body.error.code).toBe('SECOND_FACTOR_REQUIRED');
    expect((await api().post('/api/auth/2fa/verify').set(admin.auth).send({ code: '123456' })).body.error.code).toBe('SECOND_FACTOR_NOT_ENROLLED');
    const customer = await customerToken(fx.stack);
    expect((await api().post('/api/auth/2fa/enroll').set('Authorization', `Bearer ${customer}`)).body.error.code).toBe('PERMISSION_DENIED');

    const enrolled = await api().post('/api/auth/2fa/enroll').set(admin.auth).expect(200);
    expect(enrolled.headers['cache-control']).toBe('no-store');
    const { secret, otpauth_uri: uri } = enrolled.body.data;
    expect(uri).toMatch(new RegExp(`^otpauth://totp/.+\\?.*secret=${secret}`));
    expect(TOTP.validate({ token: new TOTP({ secret: Secret.fromBase32(secret) }).generate(), secret: Secret.fromBase32(secret) })).toBe(0);

    expect(
      (
        await api()
          .post('/api/auth/2fa/enroll/confirm')
          .set(admin.auth)
          .send({ code: wrongCode(secret) })
      ).body.error.code,
    ).toBe('INVALID_SECOND_FACTOR');
    expect((await api().post('/api/auth/2fa/enroll/confirm').set(admin.auth).send({ code: 'abc' })).status).toBe(400);
    const confirmed = await api()
      .post('/api/auth/2fa/enroll/confirm')
      .set(admin.auth)
      .send({ code: totpNow(secret) })
      .expect(200);
    const codes: string[] = confirmed.body.data.recovery_codes;
    expect(new Set(codes).size).toBe(10);

    // Stored: the secret encrypted, the recovery codes as hashes; neither readable from the rows.
    const conn = fx.stack.orm.em.getConnection();
    const [row] = await conn.execute(`select secret_enc, confirmed_at from admin_totp where user_id = ?`, [admin.id]);
    expect(row.confirmed_at).not.toBeNull();
    expect(row.secret_enc).not.toContain(secret);
    const hashes = (await conn.execute(`select code_hash from admin_recovery_codes where user_id = ?`, [admin.id])).map((r) => r.code_hash as string);
    expect(hashes).toHaveLength(10);
    for (const code of codes) expect(hashes.join(' ')).not.toContain(code.replace(/-/g, ''));

    expect((await api().get('/api/admin/refunds').set(admin.auth)).status).toBe(200);
    expect((await api().post('/api/auth/2fa/enroll').set(admin.auth)).body.error.code).toBe('SECOND_FACTOR_ALREADY_ENROLLED');
  });

  it('when an enrolled admin logs in again, then a TOTP code or a recovery code verifies the new session, each only once', async () => {
    const admin = await adminLogin(fx.stack);
    const { secret } = (await api().post('/api/auth/2fa/enroll').set(admin.auth)).body.data;
    const { recovery_codes: codes } = (
      await api()
        .post('/api/auth/2fa/enroll/confirm')
        .set(admin.auth)
        .send({ code: totpNow(secret) })
    ).body.data;

    const second = await adminLogin(fx.stack, admin.id);
    expect((await api().get('/api/admin/refunds').set(second.auth)).body.error.code).toBe('SECOND_FACTOR_REQUIRED');
    const code = nextCode(secret);
    expect((await api().post('/api/auth/2fa/verify').set(second.auth).send({ code })).body.data.method).toBe('totp');
    expect((await api().get('/api/admin/refunds').set(second.auth)).status).toBe(200);

    const third = await adminLogin(fx.stack, admin.id);
    expect((await api().post('/api/auth/2fa/verify').set(third.auth).send({ code })).body.error.code).toBe('INVALID_SECOND_FACTOR');
    expect((await api().post('/api/auth/2fa/verify').set(third.auth).send({ recovery_code: codes[3] })).body.data.method).toBe('recovery_code');
    const fourth = await adminLogin(fx.stack, admin.id);
    expect((await api().post('/api/auth/2fa/verify').set(fourth.auth).send({ recovery_code: codes[3] })).body.error.code).toBe('INVALID_SECOND_FACTOR');
  });

  it('when wrong codes are sent five times, then the second factor locks (429 SECOND_FACTOR_LOCKED), even for the right code', async () => {
    const admin = await adminLogin(fx.stack);
    const { secret } = (await api().post('/api/auth/2fa/enroll').set(admin.auth)).body.data;
    await api()
      .post('/api/auth/2fa/enroll/confirm')
      .set(admin.auth)
      .send({ code: totpNow(secret) })
      .expect(200);
    const next = await adminLogin(fx.stack, admin.id);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++)
      answers.push(
        (
          await api()
            .post('/api/auth/2fa/verify')
            .set(next.auth)
            .send({ code: wrongCode(secret) })
        ).body.error.code,
      );
    expect(answers).toEqual(['INVALID_SECOND_FACTOR', 'INVALID_SECOND_FACTOR', 'INVALID_SECOND_FACTOR', 'INVALID_SECOND_FACTOR', 'SECOND_FACTOR_LOCKED']);
    const right = await api()
      .post('/api/auth/2fa/verify')
      .set(next.auth)
      .send({ code: nextCode(secret) });
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ success: false, error: { code: 'SECOND_FACTOR_LOCKED' } });
  });

  it('when a money action comes with a second factor older than ADMIN_STEP_UP_MINUTES, then 403 STEP_UP_REQUIRED; a wrong X-TOTP gets 401, a current one lets it through', async () => {
    const adminId = randomUUID();
    const customerId = await createUser(fx.stack.orm);
    const auth = await bearer(fx.stack, adminId, 'admin');
    const credit = (key: string, totp?: string) => {
      const r = api().post(`/api/admin/users/${customerId}/add-balance`).set(auth);
      return (totp ? r.set('X-TOTP', totp) : r).send({ amount: '10.00', reason: 'goodwill', request_id: `${key}-${randomUUID()}` });
    };
    expect((await credit('fresh')).status).toBe(200);

    await fx.stack.orm.em
      .getConnection()
      .execute(`update auth_sessions set second_factor_at = now() - make_interval(mins => ?) where user_id = ?`, [
        fx.stack.config.ADMIN_STEP_UP_MINUTES + 1,
        adminId,
      ]);
    expect((await api().get('/api/admin/refunds').set(auth)).status).toBe(200);
    const id = '00000000-0000-4000-8000-000000000000';
    const money = [
      credit('stale'),
      api().post(`/api/admin/refunds/${id}/approve`).set(auth),
      api().post(`/api/admin/refunds/${id}/payout`).set(auth).send({ reference: 'BANK-1' }),
      api().post(`/api/admin/attention/refund/${id}`).set(auth).send({ action: 'retry' }),
      api().post('/api/auth/2fa/recovery-codes').set(auth),
    ];
    for (const res of await Promise.all(money)) expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'STEP_UP_REQUIRED' });

    const secret = adminTotpSecret(adminId)!;
    const wrong = await credit('wrong', wrongCode(secret));
    expect({ status: wrong.status, code: wrong.body.error.code }).toEqual({ status: 401, code: 'INVALID_SECOND_FACTOR' });
    expect((await credit('totp', nextCode(secret))).status).toBe(200);
    // The code made the session's second factor fresh again: the next money action needs no header.
    const after = await credit('after');
    expect(after.status).toBe(200);
    expect(after.body.data.wallet.balance).toBe('30.00');
  });

  it('when an admin credits their own wallet, approves their own refund or records its payout, then 403 SELF_ACTION_FORBIDDEN; another admin can', async () => {
    const selfId = randomUUID();
    const otherId = randomUUID();
    const self = await bearer(fx.stack, selfId, 'admin');
    const other = await bearer(fx.stack, otherId, 'admin');
    const ownCredit = await api()
      .post(`/api/admin/users/${selfId}/add-balance`)
      .set(self)
      .send({ amount: '100.00', reason: 'for me', request_id: randomUUID() });
    expect({ status: ownCredit.status, code: ownCredit.body.error.code }).toEqual({ status: 403, code: 'SELF_ACTION_FORBIDDEN' });

    // The admin tops up by eSewa as any customer would, then asks for it back.
    const intent = (await api().post('/api/payment/wallet/topup-intent').set(self).send({ amount: '250.00', gateway: 'esewa' }).expect(200)).body.data;
    await fx.boxes.esewa.submitForm(intent.gateway_data.formFields as Record<string, string>);
    await fx.boxes.esewa.pay(intent.gateway_ref, { follow: true });
    await eventually(async () => (await api().get(`/api/payment/status/${intent.intent_id}`).set(self)).body.data.status === 'success', 15_000);
    const refundId = (await api().post(`/api/payment/refund/${intent.intent_id}`).set(self).send({ reason: 'mine' }).expect(201)).body.data.id;

    const ownApproval = await api().post(`/api/admin/refunds/${refundId}/approve`).set(self);
    expect({ status: ownApproval.status, code: ownApproval.body.error.code }).toEqual({ status: 403, code: 'SELF_ACTION_FORBIDDEN' });
    expect((await api().get(`/api/admin/refunds?user_id=${selfId}`).set(other)).body.data.results[0].status).toBe('pending');
    expect((await api().post(`/api/admin/refunds/${refundId}/approve`).set(other)).body.data.payout.status).toBe('pending');

    const ownPayout = await api().post(`/api/admin/refunds/${refundId}/payout`).set(self).send({ reference: 'MY-OWN-1' });
    expect({ status: ownPayout.status, code: ownPayout.body.error.code }).toEqual({ status: 403, code: 'SELF_ACTION_FORBIDDEN' });
    expect((await api().post(`/api/admin/refunds/${refundId}/payout`).set(other).send({ reference: 'BANK-42' })).status).toBe(200);
  });

  it('when an admin session reaches ADMIN_SESSION_MAX_HOURS, then its tokens stop working and a refresh cannot extend it', async () => {
    const admin = await adminLogin(fx.stack);
    expect(admin.refresh_expires_in).toBeGreaterThan(2 * 3600 - 5);
    expect(admin.refresh_expires_in).toBeLessThanOrEqual(2 * 3600);
    const conn = fx.stack.orm.em.getConnection();
    const [row] = await conn.execute(`select extract(epoch from absolute_expires_at - created_at)::int as seconds from auth_sessions where id = ?`, [
      admin.session_id,
    ]);
    expect(row.seconds).toBe(2 * 3600);
    const refreshed = await api().post('/api/auth/refresh').send({ refresh_token: admin.refresh_token }).expect(200);
    expect(refreshed.body.data.refresh_expires_in).toBeLessThanOrEqual(2 * 3600);

    await conn.execute(`update auth_sessions set absolute_expires_at = now() - interval '1 second' where id = ?`, [admin.session_id]);
    const me = await api().get('/api/auth/me').set('Authorization', `Bearer ${refreshed.body.data.access_token}`);
    expect({ status: me.status, code: me.body.error.code }).toEqual({ status: 401, code: 'SESSION_EXPIRED' });
    const again = await api().post('/api/auth/refresh').send({ refresh_token: refreshed.body.data.refresh_token });
    expect({ status: again.status, code: again.body.error.code }).toEqual({ status: 401, code: 'SESSION_EXPIRED' });
  });

  it('when a customer is made an admin, then a session older than ADMIN_SESSION_MAX_HOURS ends at once', async () => {
    const userId = await createUser(fx.stack.orm);
    const pair = await new AuthTokenService({ orm: fx.stack.orm, config: fx.stack.config }).startSession({ id: userId, role: 'customer' });
    const conn = fx.stack.orm.em.getConnection();
    await conn.execute(`update auth_sessions set created_at = now() - interval '3 hours' where id = ?`, [pair.session_id]);
    const me = () => api().get('/api/auth/me').set('Authorization', `Bearer ${pair.access_token}`);
    expect((await me()).status).toBe(200);
    await conn.execute(`update users set role = 'admin' where id = ?`, [userId]);
    const after = await me();
    expect({ status: after.status, code: after.body.error.code }).toEqual({ status: 401, code: 'SESSION_EXPIRED' });
    expect((await api().post('/api/auth/refresh').send({ refresh_token: pair.refresh_token })).body.error.code).toBe('SESSION_EXPIRED');
  });
});
