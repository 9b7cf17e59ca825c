import { randomInt } from 'node:crypto';
import { dispenseOtpWorkflowId, paystackSignature, waterPaymentWorkflowId } from '../../src/modules/dispensing';
import { keepHistory } from '../support/record-history';
import { adminToken, customerToken, eventually, startTestStack } from '../support/stack';
import { attentionDesk, call, codeIn, createWaterStation, PAYSTACK_KEY, phone, startWaterStack, stationLink, type WaterStack } from './support';

jest.setTimeout(60_000);

let w: WaterStack;
beforeAll(async () => {
  w = await startWaterStack();
});
afterAll(async () => w?.close());

const db = () => w.stack.orm.em.getConnection();
const status = async (ref: string) => (await call(w.stack, 'GET', `/payments/status/${ref}`)).body.data;
const otpStatus = async (ref: string) => (await call(w.stack, 'GET', `/otp/status/${ref}`)).body.data;

async function paidByMpesa(to: string, amount = 50) {
  const r = await call(w.stack, 'POST', '/payments/mpesa/initiate', { phoneNumber: to, amount });
  const cb = await w.daraja.answer(r.body.data.checkoutRequestId, 0);
  await eventually(async () => codeIn(w.sms, to));
  return { ref: r.body.data.transactionReference as string, callback: { Body: { stkCallback: cb } } };
}

describe('water: Paystack, callbacks again, partial dispense, re-issue', () => {
  it('when Paystack is paid, then a forged webhook changes nothing, the signed one completes it once (a duplicate too) and the OTP goes by SMS', async () => {
    const to = phone();
    const init = await call(w.stack, 'POST', '/payments/paystack/initialize', { email: 'amina@example.com', amount: 50, phoneNumber: to });
    expect(init.status).toBe(201);
    const ref = init.body.data.transactionReference;
    expect(init.body.data.authorizationUrl).toContain('/checkout/');
    const page = await fetch(init.body.data.authorizationUrl);
    expect(await page.text()).toContain('Pay');
    const noEmail = await call(w.stack, 'POST', '/payments/paystack/initialize', { amount: 50 });
    expect(noEmail).toMatchObject({ status: 400, body: { success: false, error: 'VALIDATION_ERROR' } });

    const raw = await w.paystack.pay(ref, { lose: true });
    const forged = await fetch(`${w.stack.baseUrl}/water/api/payments/paystack/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-paystack-signature': paystackSignature('sk_test_wrong', raw) },
      body: raw,
    });
    expect(forged.status).toBe(401);
    expect((await status(ref)).status).toBe('processing');
    expect(await w.paystack.resend(raw)).toBe(200);
    expect(await w.paystack.resend(raw)).toBe(200);
    await eventually(async () => (await status(ref)).status === 'completed');
    await eventually(async () => codeIn(w.sms, to));
    const verified = await call(w.stack, 'GET', `/payments/paystack/verify/${ref}`);
    expect(verified.body.data).toMatchObject({ status: 'completed', paystackStatus: 'success', amount: 50 });
    const [events] = await db().execute(`select count(*)::int as n from water_gateway_events where transaction_reference = ? and outcome = 'hint'`, [ref]);
    expect(events.n).toBe(1);
    expect(paystackSignature(PAYSTACK_KEY, raw)).toHaveLength(128);
    await keepHistory(
      w.stack,
      w.stack.temporal.workflow.getHandle(waterPaymentWorkflowId(ref)),
      'water-payment-paystack-webhook',
      'KES 50 by Paystack on the sandbox page, a forged webhook refused, the signed one twice (one hint), verify completed it, OTP run started',
    );
    const back = await call(w.stack, 'GET', `/payments/paystack/callback?reference=${ref}&trxref=${ref}`);
    expect(back.body.data.verifyUrl).toBe(`/water/api/payments/paystack/verify/${ref}`);
  });

  it('when Daraja repeats a callback or a late failure callback arrives, then the payment stays completed with one sale and one SMS; a cancel on the phone cancels', async () => {
    const to = phone();
    const { ref, callback } = await paidByMpesa(to);
    await eventually(async () => (await status(ref)).status === 'completed');
    expect((await call(w.stack, 'POST', '/payments/mpesa/callback', callback)).status).toBe(200);
    const late = {
      Body: { stkCallback: { ...callback.Body.stkCallback, ResultCode: 1032, ResultDesc: 'Request cancelled by user', CallbackMetadata: undefined } },
    };
    expect((await call(w.stack, 'POST', '/payments/mpesa/callback', late)).status).toBe(200);
    expect((await status(ref)).status).toBe('completed');
    const [sales] = await db().execute(`select count(*)::int as n from journal_entries where idempotency_key = ?`, [`water-sale:${ref}`]);
    expect(sales.n).toBe(1);
    expect(w.sms.messages.filter((m) => m.to === `+${to}`)).toHaveLength(1);

    const cancelled = await call(w.stack, 'POST', '/payments/mpesa/initiate', { phoneNumber: phone(), amount: 20 });
    await w.daraja.answer(cancelled.body.data.checkoutRequestId, 1032);
    await eventually(async () => (await status(cancelled.body.data.transactionReference)).status === 'cancelled');
  });

  it('when a station stops short, then the rest gets a new code by SMS usable at another station; a station re-issues a code once; delivery reports update the SMS log', async () => {
    const to = phone();
    const { ref } = await paidByMpesa(to, 50);
    const first = codeIn(w.sms, to)!;
    const a = await createWaterStation(w.stack);
    const b = await createWaterStation(w.stack);
    const link = await stationLink(w.stack, a.id);
    const linkB = await stationLink(w.stack, b.id);
    expect((await a.call('POST', '/stations/otp/verify', { transactionReference: ref, otp: first, stationId: a.id })).status).toBe(200);
    await link.report(ref, 3_000, true); // tank ran dry
    await eventually(async () => (await otpStatus(ref)).status === 'active' && (await otpStatus(ref)).pulses === 7_000);
    expect(await otpStatus(ref)).toMatchObject({ liters: 7, attempts: 0 });
    const second = await eventually(async () => (codeIn(w.sms, to) !== first ? codeIn(w.sms, to) : undefined));
    const rest = await b.call('POST', '/stations/otp/verify', { transactionReference: ref, otp: second, stationId: b.id });
    expect(rest.body.data).toMatchObject({ liters: 7, pulses: 7_000, stationId: b.id });

    const reissued = await b.call('POST', '/otp/generate', { transactionReference: ref });
    expect(reissued.status).toBe(201);
    expect(reissued.body.data.otp).toMatch(/^\d{6}$/);
    expect((await b.call('POST', '/stations/otp/verify', { transactionReference: ref, otp: second, stationId: b.id })).body.error).toBe('INVALID_OTP');
    expect((await a.call('POST', '/stations/otp/verify', { transactionReference: ref, otp: reissued.body.data.otp, stationId: a.id })).status).toBe(200);
    await Promise.all([link.close(), linkB.close()]);
    expect((await call(w.stack, 'POST', '/otp/generate', { transactionReference: ref })).status).toBe(401);
    const byAdmin = await call(w.stack, 'POST', '/otp/generate', { transactionReference: ref }, { authorization: `Bearer ${await adminToken(w.stack)}` });
    expect(byAdmin.status).toBe(201);
    const byCustomer = await call(w.stack, 'POST', '/otp/generate', { transactionReference: ref }, { authorization: `Bearer ${await customerToken(w.stack)}` });
    expect(byCustomer.status).toBe(403);

    const msg = w.sms.lastTo(to)!;
    expect(await w.sms.report(msg.messageId, 'Failed', 'DeliveryFailure')).toBe(200);
    const [log] = await db().execute(`select status, failure_reason from water_sms_log where message_id = ?`, [msg.messageId]);
    expect(log).toEqual({ status: 'Failed', failure_reason: 'DeliveryFailure' });
    const forged = await fetch(`${w.stack.baseUrl}/water/api/sms/delivery-reports?token=wrong-token`, {
      method: 'POST',
      body: new URLSearchParams({ id: msg.messageId, status: 'Success' }),
    });
    expect(forged.status).toBe(401);
  });

  it('when one IP passes the limit, then it gets the seed 429 body with X-RateLimit-* headers; with the broker away the health path is 503 degraded', async () => {
    const api = await startTestStack({ worker: false, bridge: false, env: { WATER_RATE_LIMIT: '2/900' } });
    try {
      const ip = `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;
      const hit = () =>
        fetch(`${api.baseUrl}/water/api/payments/preview`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
          body: '{"amount":50}',
        });
      expect((await hit()).headers.get('x-ratelimit-remaining')).toBe('1');
      await hit();
      const refused = await hit();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-ratelimit-limit')).toBe('2');
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(await refused.json()).toEqual({
        success: false,
        message: 'Too many requests from this IP, please try again later.',
        error: 'RATE_LIMIT_EXCEEDED',
      });
      // The broker away: the water health path answers 503 in the seed's envelope, the report saying which dependency.
      await api.bus.close();
      const health = await fetch(`${api.baseUrl}/water/api/health`, { headers: { 'x-forwarded-for': `${ip}1` } });
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        success: false,
        error: 'SERVICE_UNAVAILABLE',
        data: { status: 'degraded', mqtt: 'down', database: 'connected' },
      });
    } finally {
      await api.close();
    }
  });

  it("when Africa's Talking stays unreachable past the SMS retries, then the OTP run parks as needs_attention on the admin desk, and an admin's retry sends the code", async () => {
    w.sms.outage(true);
    const to = phone();
    const r = await call(w.stack, 'POST', '/payments/mpesa/initiate', { phoneNumber: to, amount: 40 });
    const ref = r.body.data.transactionReference as string;
    await w.daraja.answer(r.body.data.checkoutRequestId, 0);
    const parked = await eventually(
      async () =>
        (
          await db().execute(`select attention_kind, attention_step from water_transactions where transaction_reference = ? and attention_at is not null`, [
            ref,
          ])
        )[0],
      20_000,
    );
    expect(parked).toEqual({ attention_kind: 'water_otp', attention_step: 'send the code by SMS' });
    const described = await w.stack.temporal.workflow.getHandle(dispenseOtpWorkflowId(ref)).describe();
    expect(described.searchAttributes.BusinessStatus).toEqual(['needs_attention']);
    const desk = await attentionDesk(w.stack);
    expect(await desk.runs()).toContainEqual(expect.objectContaining({ kind: 'water_otp', id: ref, workflow_id: dispenseOtpWorkflowId(ref) }));
    w.sms.outage(false);
    expect(await desk.act('water_otp', ref, 'retry')).toBe(200);
    expect(await eventually(async () => codeIn(w.sms, to))).toMatch(/^\d{6}$/);
    await eventually(
      async () => (await db().execute(`select attention_at from water_transactions where transaction_reference = ?`, [ref]))[0].attention_at === null,
    );
  });
});
