import { LOG_FILE, capturedLog } from './log-capture';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { paymentStackIn } from '../money/support';
import { messagingIn, useFixture } from '../support/fixtures';
import { clientIp, randomPhone, readOtp } from '../support/messaging';
import { adminTotpSecret, eventually, sessionToken, totpNow } from '../support/stack';

/** True when `secret` appears in the log as a value of its own (not inside a longer run of letters or digits). */
const leaks = (log: string, secret: string) => new RegExp(`(?<![A-Za-z0-9_-])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`).test(log);

describe('logs: no token, code or secret of a login, a refresh and a top-up reaches them', () => {
  const fx = useFixture(async (scope) => {
    const messaging = await messagingIn(scope);
    return { ...(await paymentStackIn(scope, { env: { ...messaging.env, PAYMENT_POLL_SECONDS: '600' }, bridge: false })), messaging };
  });

  it('when a customer logs in by OTP, refreshes, tops up through Khalti and eSewa and an admin steps up with X-TOTP, then the captured log holds none of their secrets', async () => {
    const api = () => request(fx.stack.baseUrl);
    const secrets: Record<string, string> = {};

    // Log in: OTP by SMS, verified, register; the code and the verification token are secrets.
    const phone = randomPhone();
    const ip = clientIp();
    const sent = await api().post('/api/auth/get-otp').set('X-Forwarded-For', ip).send({ identifier: phone }).expect(200);
    secrets.otp = await readOtp(fx.messaging, phone, 1);
    const verified = await api().post('/api/auth/verify-otp').set('X-Forwarded-For', ip).send({ challenge_id: sent.body.data.challenge_id, code: secrets.otp });
    secrets.verification = verified.body.data.verification_token;
    const registered = await api()
      .post('/api/auth/register')
      .send({ verification_token: secrets.verification, username: `log${randomUUID().slice(0, 8)}` });
    secrets.access = registered.body.data.access_token;
    secrets.refresh = registered.body.data.refresh_token;

    // Refresh (body), and the old transports, refused now: the query string and X-Refresh-Token.
    const refreshed = await api().post('/api/auth/refresh').send({ refresh_token: secrets.refresh }).expect(200);
    secrets.refreshed = refreshed.body.data.refresh_token;
    secrets.refreshedAccess = refreshed.body.data.access_token;
    const viaQuery = await api().get('/api/auth/refresh').query({ refresh_token: secrets.refreshed });
    const viaHeader = await api().get('/api/auth/refresh').set('X-Refresh-Token', secrets.refreshed);
    const viaBearer = await api().get('/api/auth/refresh').set('Authorization', `Bearer ${secrets.refreshed}`);
    for (const res of [viaQuery, viaHeader, viaBearer])
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    const viaGetBody = await api().get('/api/auth/refresh').send({ refresh_token: secrets.refreshed }).expect(200);
    const auth = { Authorization: `Bearer ${viaGetBody.body.data.access_token}` };

    // Top up through Khalti (the payer's browser comes back with ?pidx=...) and eSewa (?data=<signed>).
    const khalti = (await api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '250.00', gateway: 'khalti' }).expect(200)).body.data;
    secrets.pidx = khalti.gateway_ref;
    const paid = await fx.boxes.khalti.pay(khalti.gateway_ref, { follow: true });
    expect(JSON.stringify(paid)).toContain(khalti.gateway_ref);
    const esewa = (await api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '100.00', gateway: 'esewa' }).expect(200)).body.data;
    await fx.boxes.esewa.submitForm(esewa.gateway_data.formFields as Record<string, string>);
    const esewaPaid = await fx.boxes.esewa.pay(esewa.gateway_ref, { follow: true });
    secrets.esewaData = new URL(esewaPaid.redirect_url!).searchParams.get('data')!;
    expect(secrets.esewaData.length).toBeGreaterThan(20);
    for (const id of [khalti.intent_id, esewa.intent_id]) {
      await eventually(async () => (await api().get(`/api/payment/status/${id}`).set(auth)).body.data.status === 'success', 15_000);
    }

    // An admin's money action with a TOTP code in X-TOTP.
    const adminId = randomUUID();
    const admin = await sessionToken(fx.stack, 'admin', adminId);
    secrets.totp = totpNow(adminTotpSecret(adminId)!, Date.now() + 30_000);
    await api()
      .post(`/api/admin/users/${registered.body.data.user.id}/add-balance`)
      .set('Authorization', `Bearer ${admin}`)
      .set('X-TOTP', secrets.totp)
      .send({ amount: '1.00', reason: 'log test', request_id: randomUUID() })
      .expect(200);

    const log = await eventually(async () => {
      const text = capturedLog();
      return text.includes('/payment/webhook/khalti') && text.includes('/admin/users/') ? text : undefined;
    });
    // The log is there and holds these requests, with what could carry a credential redacted.
    expect(LOG_FILE).toBeTruthy();
    for (const path of ['/api/auth/verify-otp', '/api/auth/register', '/api/auth/refresh', '/api/payment/wallet/topup-intent']) expect(log).toContain(path);
    expect(log).toMatch(/\/api\/payment\/webhook\/khalti\?[^"]*pidx=%5BRedacted%5D/);
    expect(log).toMatch(/\/api\/auth\/refresh\?refresh_token=%5BRedacted%5D/);
    const found = Object.entries(secrets).filter(([, value]) => leaks(log, value));
    expect(found.map(([name]) => name)).toEqual([]);
  });
});
