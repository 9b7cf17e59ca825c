import { darajaPassword, darajaTimestamp } from '../../src/modules/dispensing';
import { paystackSignature } from '../../src/modules/dispensing';
import { previewAmount } from '../../src/modules/dispensing/rules/pricing';
import { judgeAttempt, type OtpState } from '../../src/modules/dispensing/rules/otp';
import { parseTransactionDate } from '../../src/modules/dispensing/rules/daraja';
import { configRefusal, VALID_ENV } from '../support/config';

const rules = { pricePerLiter: 5, minAmount: 10, maxAmount: 10_000, rounding: 'nearest' as const, currency: 'KES' };
const otp = (over: Partial<OtpState> = {}): OtpState => ({
  transactionReference: 'WS-1-ABCDEFGH',
  status: 'active',
  liters: 10,
  pulses: 10_000,
  pulsesDelivered: 0,
  attempts: 0,
  maxAttempts: 3,
  expiresAt: 10_000,
  stationId: null,
  verifiedAt: null,
  issue: 1,
  ...over,
});

describe('water rules', () => {
  it("when the Daraja sample is signed, then the Password is Daraja's published vector and the timestamp is Nairobi time", () => {
    expect(darajaPassword('174379', 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919', '20160216165627')).toBe(
      'MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOTIwMTYwMjE2MTY1NjI3',
    );
    expect(darajaTimestamp(new Date('2024-02-01T09:00:00Z'))).toBe('20240201120000');
    expect(parseTransactionDate(20240201120000)?.toISOString()).toBe('2024-02-01T09:00:00.000Z');
  });

  it('when a Paystack body is signed, then the signature is the HMAC-SHA512 hex of the raw body under the secret key', () => {
    expect(paystackSignature('sk_test_xxx', '{"id":"evt_test","object":"event"}').startsWith('5e8c1c8c008568c0d4d7e32e80c696cb')).toBe(true);
  });

  it('when amounts are previewed, then they round to whole liters by the strategy and refuse what is out of range', () => {
    expect(previewAmount(52, rules)).toMatchObject({ amount: 50, liters: 10, difference: -2 });
    expect(previewAmount(53, rules)).toMatchObject({ amount: 55, liters: 11, difference: 2 });
    expect(previewAmount(53, { ...rules, rounding: 'down' })).toMatchObject({ amount: 50, liters: 10 });
    expect(previewAmount(9, rules)).toBeUndefined();
    expect(previewAmount(10_001, rules)).toBeUndefined();
  });

  it('when codes are judged, then wrong ones count to blocked, the right one locks, another station is locked before water flows and in use after', () => {
    expect(judgeAttempt(otp({ attempts: 2 }), 'A', false, 0)).toMatchObject({ outcome: 'blocked', next: { status: 'blocked', attempts: 3 } });
    expect(judgeAttempt(otp(), 'A', true, 20_000).outcome).toBe('expired');
    const locked = judgeAttempt(otp(), 'A', true, 0).next;
    expect(locked).toMatchObject({ status: 'in_progress', stationId: 'A' });
    expect(judgeAttempt(locked, 'B', true, 0).outcome).toBe('locked');
    expect(judgeAttempt({ ...locked, pulsesDelivered: 1 }, 'B', true, 0).outcome).toBe('in_use');
    expect(judgeAttempt(locked, 'A', true, 0).outcome).toBe('verified');
  });

  it('when production serves water with its development keys and sandboxes, then the config is refused naming them; without the water surface it is not asked', () => {
    const refusal = configRefusal({ ...VALID_ENV, NODE_ENV: 'production' });
    for (const key of ['WATER_OTP_KEY', 'WATER_STATION_SECRET', 'PAYSTACK_SECRET_KEY', 'DARAJA_BASE_URL', 'AT_BASE_URL']) expect(refusal).toContain(key);
    expect(configRefusal({ ...VALID_ENV, NODE_ENV: 'production', SURFACES: 'chargeghar:/api' })).not.toContain('WATER_OTP_KEY');
  });
});
