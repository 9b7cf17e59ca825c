import { createHmac } from 'node:crypto';
import { GatewayError, InvalidNotificationError } from '../../src/modules/payments/gateways/gateway';
import { EsewaGateway } from '../../src/modules/payments/gateways/esewa/esewa.adapter';
import type { EsewaFormFields } from '../../src/modules/payments/gateways/esewa/esewa.protocol';
import { startEsewaSandbox } from '../../src/modules/payments/gateways/esewa/esewa.sandbox';
import { esewaSign, ESEWA_RESPONSE_SIGNED_FIELDS, ESEWA_UAT_SECRET } from '../../src/modules/payments/gateways/esewa/esewa.signature';
import { useFixture } from '../support/fixtures';
import { startMerchant } from './merchant';

let n = 0;

const fx = useFixture(async (s) => {
  const sandbox = await s.use(startEsewaSandbox({ port: 0, sessionTtlMs: 60_000 }), (x) => x.stop());
  const merchant = await s.use(startMerchant(), (m) => m.stop());
  const esewa = new EsewaGateway({ formBaseUrl: sandbox.url, statusBaseUrl: sandbox.url, productCode: 'EPAYTEST', secretKey: ESEWA_UAT_SECRET });
  return { sandbox, merchant, esewa };
});

/** Creates the session and submits its form as the payer's browser would. */
async function openSession(amountMinor = 12_345) {
  const intentId = `0f6c1e2a-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const s = await fx.esewa.createSession({
    intentId,
    amountMinor,
    currency: 'NPR',
    description: 'Wallet top-up',
    returnUrl: `${fx.merchant.url}/return`,
    failureUrl: `${fx.merchant.url}/failure`,
    idempotencyKey: intentId,
  });
  const fields = (s.extra as { formFields: EsewaFormFields }).formFields;
  const submitted = await fx.sandbox.submitForm(fields as unknown as Record<string, string>);
  return { ...s, intentId, amountMinor, fields, submitted };
}

const dataOf = (url: string) => new URL(url).searchParams.get('data')!;

describe('eSewa ePay v2 adapter against the eSewa sandbox', () => {
  it('when a session is created for 12345 paisa, then the signed form says 123.45 and the sandbox shows its payment page', async () => {
    const s = await openSession();
    expect(s.paymentUrl).toBe(`${fx.sandbox.url}/api/epay/main/v2/form`);
    expect(s.gatewayRef).toBe(s.intentId);
    expect(s.fields).toMatchObject({ total_amount: '123.45', amount: '123.45', product_code: 'EPAYTEST', success_url: `${fx.merchant.url}/return` });
    expect(s.submitted.status).toBe(200);
    expect(s.submitted.html).toContain(`/__sandbox/pay/${s.gatewayRef}`);
    expect(await fx.esewa.lookup(s.gatewayRef, s)).toMatchObject({ status: 'pending', amountMinor: 12_345, gatewayTxnId: null, raw: { status: 'PENDING' } });
  });

  it('when the payer pays, then the browser lands on success_url with signed data that verifies, and the status check says COMPLETE for the exact amount', async () => {
    const s = await openSession(12_345);
    const r = await fx.sandbox.pay(s.gatewayRef, { follow: true });
    expect(r.callback?.status).toBe(200);
    const landed = fx.merchant.returns.find((q) => q.data && JSON.parse(Buffer.from(q.data, 'base64').toString()).transaction_uuid === s.gatewayRef)!;
    const decoded = JSON.parse(Buffer.from(landed.data, 'base64').toString());
    expect(decoded).toMatchObject({ status: 'COMPLETE', total_amount: '123.45', product_code: 'EPAYTEST', signed_field_names: ESEWA_RESPONSE_SIGNED_FIELDS });
    // The sandbox's signature, checked here as eSewa documents it (HMAC-SHA256, published UAT key, name=value of the signed fields, base64).
    const message = String(decoded.signed_field_names)
      .split(',')
      .map((name) => `${name}=${decoded[name]}`)
      .join(',');
    expect(decoded.signature).toBe(createHmac('sha256', '8gBm/:&EnhH.1/q').update(message).digest('base64'));
    const v = await fx.esewa.verifyNotification({ headers: {}, query: landed });
    expect(v).toMatchObject({
      eventId: `esewa:${s.gatewayRef}:COMPLETE`,
      gatewayRef: s.gatewayRef,
      intentId: s.intentId,
      status: 'success',
      amountMinor: 12_345,
      gatewayTxnId: decoded.transaction_code,
    });
    expect(await fx.esewa.lookup(s.gatewayRef, s)).toMatchObject({ status: 'success', amountMinor: 12_345, gatewayTxnId: decoded.transaction_code });
  });

  it('when success data is tampered with, re-signed with another key, or not base64 JSON, then verifyNotification rejects it', async () => {
    const s = await openSession(100_000);
    const { redirect_url } = await fx.sandbox.pay(s.gatewayRef);
    const genuine = JSON.parse(Buffer.from(dataOf(redirect_url!), 'base64').toString());
    expect(genuine.total_amount).toBe('1000.0');
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64');
    await expect(fx.esewa.verifyNotification({ headers: {}, query: { data: b64({ ...genuine, total_amount: '10000.0' }) } })).rejects.toBeInstanceOf(
      InvalidNotificationError,
    );
    const forged = { ...genuine, signature: esewaSign('attacker-key', genuine, ESEWA_RESPONSE_SIGNED_FIELDS) };
    await expect(fx.esewa.verifyNotification({ headers: {}, query: { data: b64(forged) } })).rejects.toThrow(/signature/);
    const narrowed = { ...genuine, signed_field_names: 'transaction_code', signature: esewaSign(ESEWA_UAT_SECRET, genuine, 'transaction_code') };
    await expect(fx.esewa.verifyNotification({ headers: {}, query: { data: b64(narrowed) } })).rejects.toBeInstanceOf(InvalidNotificationError);
    await expect(fx.esewa.verifyNotification({ headers: {}, query: { data: '%%%not-base64' } })).rejects.toBeInstanceOf(InvalidNotificationError);
    await expect(fx.esewa.verifyNotification({ headers: {}, query: {} })).rejects.toBeInstanceOf(InvalidNotificationError);
    expect((await fx.esewa.verifyNotification({ headers: {}, query: { data: dataOf(redirect_url!) } })).amountMinor).toBe(100_000);
  });

  it('when a form has a bad signature, a wrong total, or a missing field, then the sandbox refuses it with 400 and opens no session', async () => {
    const intentId = `bad-form-${++n}`;
    const s = await fx.esewa.createSession({
      intentId,
      amountMinor: 5_000,
      currency: 'NPR',
      description: 'd',
      returnUrl: `${fx.merchant.url}/return`,
      idempotencyKey: intentId,
    });
    const f = (s.extra as { formFields: EsewaFormFields }).formFields as unknown as Record<string, string>;
    const badSig = await fx.sandbox.submitForm({ ...f, signature: 'AAAA' });
    expect(badSig.status).toBe(400);
    expect(badSig.html).toContain('Invalid payload signature');
    expect((await fx.sandbox.submitForm({ ...f, tax_amount: '5' })).status).toBe(400);
    const { failure_url: _omit, ...missing } = f;
    expect((await fx.sandbox.submitForm(missing)).html).toContain('failure_url is required');
    expect(fx.sandbox.state.txns.has(s.gatewayRef)).toBe(false);
    expect(s.extra).toMatchObject({ formFields: { failure_url: `${fx.merchant.url}/return?status=failed` } });
  });

  it('when the payer cancels, then the browser goes to failure_url and the status check reports canceled', async () => {
    const s = await openSession();
    const r = await fx.sandbox.cancel(s.gatewayRef, { follow: true });
    expect(r).toMatchObject({ status: 'CANCELED', redirect_url: `${fx.merchant.url}/failure`, callback: { status: 200 } });
    expect((await fx.esewa.lookup(s.gatewayRef, s)).status).toBe('canceled');
  });

  it('when the session is abandoned past its lifetime, then the status check says NOT_FOUND, reported as expired', async () => {
    const s = await openSession();
    fx.sandbox.clock.advance(60_001);
    try {
      expect(await fx.esewa.lookup(s.gatewayRef, s)).toMatchObject({ status: 'expired', raw: { status: 'NOT_FOUND' } });
    } finally {
      fx.sandbox.clock.advance(-60_001);
    }
  });

  it('when eSewa refunds or holds a payment, then lookup reports refunded or keeps it pending', async () => {
    const a = await openSession();
    await fx.sandbox.pay(a.gatewayRef);
    await fx.sandbox.setStatus(a.gatewayRef, 'FULL_REFUND');
    expect((await fx.esewa.lookup(a.gatewayRef, a)).status).toBe('refunded');
    const b = await openSession();
    await fx.sandbox.setStatus(b.gatewayRef, 'AMBIGUOUS');
    expect((await fx.esewa.lookup(b.gatewayRef, b)).status).toBe('pending');
  });

  it('when the status check is asked about another amount than was paid, then it does not confirm the payment', async () => {
    const s = await openSession(10_000);
    await fx.sandbox.pay(s.gatewayRef);
    expect((await fx.esewa.lookup(s.gatewayRef, { intentId: s.intentId, amountMinor: 1_000_000 })).status).not.toBe('success');
  });

  it('when eSewa is in an outage, then lookup throws a retryable GatewayError', async () => {
    const s = await openSession();
    fx.sandbox.setOutage(true);
    try {
      const err = await fx.esewa.lookup(s.gatewayRef, s).catch((e) => e);
      expect(err).toBeInstanceOf(GatewayError);
      expect(err).toMatchObject({ retryable: true, code: 'unavailable' });
    } finally {
      fx.sandbox.setOutage(false);
    }
  });

  it('when the payer uses the HTML page, then Pay posts back and gets a 302 to success_url with data', async () => {
    const s = await openSession();
    const res = await fetch(`${fx.sandbox.url}/__sandbox/pay/${s.gatewayRef}`, { method: 'POST', body: new URLSearchParams({}), redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location.startsWith(`${fx.merchant.url}/return?data=`)).toBe(true);
    expect((await fx.esewa.verifyNotification({ headers: {}, query: { data: dataOf(location) } })).status).toBe('success');
  });
});
