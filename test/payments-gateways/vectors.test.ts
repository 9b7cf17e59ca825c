import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { minorToJavaDoubleString, minorToRupeeString, rupeeStringToMinor } from '../../src/modules/payments/gateways/amounts';
import { EsewaGateway } from '../../src/modules/payments/gateways/esewa/esewa.adapter';
import {
  decodeEsewaData,
  esewaSign,
  verifyEsewaSignature,
  ESEWA_RESPONSE_SIGNED_FIELDS,
  ESEWA_UAT_SECRET,
} from '../../src/modules/payments/gateways/esewa/esewa.signature';
import { stripeSignatureHeader } from '../../src/modules/payments/gateways/stripe/stripe.webhook-sender';

const DOC_RESPONSE = {
  transaction_code: '000AWEO',
  status: 'COMPLETE',
  total_amount: '1000.0',
  transaction_uuid: '250610-162413',
  product_code: 'EPAYTEST',
  signed_field_names: ESEWA_RESPONSE_SIGNED_FIELDS,
};

describe('amount conversion (paisa <-> eSewa rupee strings)', () => {
  it('when paisa are converted to rupee strings, then no precision is lost', () => {
    expect(minorToRupeeString(12345)).toBe('123.45');
    expect(minorToRupeeString(11000)).toBe('110');
    expect(minorToRupeeString(10050)).toBe('100.50');
    expect(minorToRupeeString(1)).toBe('0.01');
    expect(minorToRupeeString(0)).toBe('0');
    expect(minorToJavaDoubleString(100000)).toBe('1000.0');
    expect(minorToJavaDoubleString(10050)).toBe('100.5');
    expect(() => minorToRupeeString(12.5)).toThrow(RangeError);
  });

  it('when rupee strings or numbers come back from eSewa, then they become exact paisa', () => {
    expect(rupeeStringToMinor('123.45')).toBe(12345);
    expect(rupeeStringToMinor('1000.0')).toBe(100000);
    expect(rupeeStringToMinor('1,000.0')).toBe(100000);
    expect(rupeeStringToMinor('110')).toBe(11000);
    expect(rupeeStringToMinor(100.5)).toBe(10050);
    expect(rupeeStringToMinor(0.07)).toBe(7); // 0.07 * 100 is 7.000000000000001 in floats
    // Every paisa value round-trips through both string forms.
    for (let minor = 0; minor < 2000; minor += 7) {
      expect(rupeeStringToMinor(minorToRupeeString(minor))).toBe(minor);
      expect(rupeeStringToMinor(minorToJavaDoubleString(minor))).toBe(minor);
    }
  });

  it('when a rupee amount has sub-paisa precision or is not a number, then it is refused', () => {
    expect(() => rupeeStringToMinor('1.005')).toThrow(RangeError);
    expect(() => rupeeStringToMinor('abc')).toThrow(RangeError);
    expect(() => rupeeStringToMinor('-5')).toThrow(RangeError);
    expect(rupeeStringToMinor('1.500')).toBe(150); // trailing zeros are not precision
  });
});

describe('eSewa signature vectors (gateways.md §2, verified with the UAT key)', () => {
  it('when the docs form example is signed, then it matches the verified vector', () => {
    expect(
      esewaSign(ESEWA_UAT_SECRET, { total_amount: '110', transaction_uuid: '241028', product_code: 'EPAYTEST' }, 'total_amount,transaction_uuid,product_code'),
    ).toBe('i94zsd3oXF6ZsSr/kGqT4sSzYQzjj1W/waxjWyRwaME=');
    expect(
      esewaSign(
        ESEWA_UAT_SECRET,
        { total_amount: '100', transaction_uuid: '11-201-13', product_code: 'EPAYTEST' },
        'total_amount,transaction_uuid,product_code',
      ),
    ).toBe('5DZywcrTKD0gia/rsSMcrRHmJl+4Tbol6S+lWgdJ94E=');
  });

  it('when the docs success response is signed, then it matches the verified vector and verifies', () => {
    const signature = esewaSign(ESEWA_UAT_SECRET, DOC_RESPONSE, ESEWA_RESPONSE_SIGNED_FIELDS);
    expect(signature).toBe('62GcfZTmVkzhtUeh+QJ1AqiJrjoWWGof3U+eTPTZ7fA=');
    const data = Buffer.from(JSON.stringify({ ...DOC_RESPONSE, signature })).toString('base64');
    expect(verifyEsewaSignature(ESEWA_UAT_SECRET, decodeEsewaData(data)!)).toBe(true);
  });

  it('when total_amount arrives as the JSON number 1000.0, then the raw literal is signed, not a reformatted 1000', () => {
    const text = `{"transaction_code":"000AWEO","status":"COMPLETE","total_amount":1000.0,"transaction_uuid":"250610-162413","product_code":"EPAYTEST","signed_field_names":"${ESEWA_RESPONSE_SIGNED_FIELDS}","signature":"62GcfZTmVkzhtUeh+QJ1AqiJrjoWWGof3U+eTPTZ7fA="}`;
    const decoded = decodeEsewaData(Buffer.from(text).toString('base64'))!;
    expect(decoded.raw.total_amount).toBe('1000.0');
    expect(verifyEsewaSignature(ESEWA_UAT_SECRET, decoded)).toBe(true);
  });

  it('when the response is signed with another key or a field changes, then it does not verify', () => {
    const signature = esewaSign('some-other-secret', DOC_RESPONSE, ESEWA_RESPONSE_SIGNED_FIELDS);
    expect(verifyEsewaSignature(ESEWA_UAT_SECRET, decodeEsewaData(Buffer.from(JSON.stringify({ ...DOC_RESPONSE, signature })).toString('base64'))!)).toBe(
      false,
    );
    const tampered = { ...DOC_RESPONSE, total_amount: '10000.0', signature: '62GcfZTmVkzhtUeh+QJ1AqiJrjoWWGof3U+eTPTZ7fA=' };
    expect(verifyEsewaSignature(ESEWA_UAT_SECRET, decodeEsewaData(Buffer.from(JSON.stringify(tampered)).toString('base64'))!)).toBe(false);
  });

  it('when the adapter builds the form for 12345 paisa, then it sends "123.45" everywhere and signs exactly that', () => {
    const esewa = new EsewaGateway({ formBaseUrl: 'http://x', statusBaseUrl: 'http://x', productCode: 'EPAYTEST', secretKey: ESEWA_UAT_SECRET });
    const f = esewa.formFields({ intentId: 'b7a0c0de-0000-4000-8000-000000000001', amountMinor: 12345, successUrl: 'http://m/ok', failureUrl: 'http://m/no' });
    expect(f).toMatchObject({
      amount: '123.45',
      total_amount: '123.45',
      tax_amount: '0',
      product_service_charge: '0',
      product_delivery_charge: '0',
      signed_field_names: 'total_amount,transaction_uuid,product_code',
    });
    // Computed here, as eSewa's docs describe it: HMAC-SHA256 with the published UAT key over the signed fields as name=value, base64.
    const expected = createHmac('sha256', '8gBm/:&EnhH.1/q')
      .update(`total_amount=123.45,transaction_uuid=${f.transaction_uuid},product_code=EPAYTEST`)
      .digest('base64');
    expect(f.signature).toBe(expected);
  });
});

describe('Stripe webhook signature vector (gateways.md §3)', () => {
  const body = '{"id":"evt_test","object":"event"}';

  it('when the test vector is signed, then our header and the SDK agree on v1', () => {
    const header = stripeSignatureHeader(body, 'whsec_test_secret', 1700000000);
    expect(header).toBe('t=1700000000,v1=8042376f6ca064adbe037642a718227dfd59047137eb49497a54c49eb0cfb724');
    const stripe = new Stripe('sk_test_x');
    expect(stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_test_secret', timestamp: 1700000000 })).toBe(header);
    const event = stripe.webhooks.constructEvent(body, header, 'whsec_test_secret', 300, undefined, 1700000000 * 1000 + 1000);
    expect(event.id).toBe('evt_test');
  });

  it('when the vector is checked 301 s later or with another secret, then the SDK rejects it', () => {
    const header = stripeSignatureHeader(body, 'whsec_test_secret', 1700000000);
    const stripe = new Stripe('sk_test_x');
    expect(() => stripe.webhooks.constructEvent(body, header, 'whsec_test_secret', 300, undefined, (1700000000 + 301) * 1000)).toThrow(/tolerance/i);
    expect(() => stripe.webhooks.constructEvent(body, header, 'whsec_other', 300, undefined, 1700000000 * 1000)).toThrow(/signature/i);
  });
});
