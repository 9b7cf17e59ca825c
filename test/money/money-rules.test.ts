import { splitPayment } from '../../src/modules/ledger/rules/payment-options';
import { formatMinor, parseMajor } from '../../src/kernel/money';
import { referralAwards, topupPoints } from '../../src/modules/ledger/rules/points-rules';
import { paymentMethods } from '../../src/modules/payments/rules/methods';

describe('money rules (pure)', () => {
  it('when paisa are formatted and parsed, then "123.45" and 12345 round-trip and bad input is refused', () => {
    expect(formatMinor(12345)).toBe('123.45');
    expect(formatMinor(-5)).toBe('-0.05');
    expect(formatMinor(7, 'PTS')).toBe('7');
    expect(parseMajor('123.45')).toBe(12345);
    expect(parseMajor(20)).toBe(2000);
    expect(parseMajor('0.1')).toBe(10);
    expect(parseMajor(0.1 + 0.2)).toBe(30);
    expect(parseMajor('5.50')).toBe(550);
    for (const bad of ['1.234', '1e5', 'abc', '', '1,000']) expect(() => parseMajor(bad)).toThrow();
  });

  it('when points are computed for top-ups, then NPR 250 earns 20 and below NPR 100 earns nothing', () => {
    expect(topupPoints(25_000)).toBe(20);
    expect(topupPoints(9_999)).toBe(0);
    expect(topupPoints(10_000)).toBe(10);
    expect(referralAwards('a', 'b').map((a) => [a.userId, a.points])).toEqual([
      ['a', 100],
      ['b', 50],
    ]);
  });

  it('when a payment is split, then points go first, the wallet pays the rest and the shortfall is what is left', () => {
    // NPR 20 with 40 points (NPR 4) and NPR 10 in the wallet.
    expect(splitPayment(2000, 1000, 40, 'points_first')).toEqual({
      amountMinor: 2000,
      pointsUsed: 40,
      pointsValueMinor: 400,
      walletUsedMinor: 1000,
      shortfallMinor: 600,
      sufficient: false,
    });
    expect(splitPayment(2000, 5000, 500, 'points_first')).toMatchObject({ pointsUsed: 200, walletUsedMinor: 0, sufficient: true });
    expect(splitPayment(2000, 5000, 500, 'wallet_only')).toMatchObject({ pointsUsed: 0, walletUsedMinor: 2000, sufficient: true });
    expect(splitPayment(2000, 5000, 100, 'points_only')).toMatchObject({ pointsUsed: 100, walletUsedMinor: 0, shortfallMinor: 1000, sufficient: false });
    expect(splitPayment(2005, 0, 500, 'points_only')).toMatchObject({ pointsUsed: 201, pointsValueMinor: 2005, sufficient: true });
    expect(splitPayment(500, -300, 0, 'wallet_only')).toMatchObject({ walletUsedMinor: 0, shortfallMinor: 500 });
  });

  it('when methods are listed from config, then each gateway has its limits and enabled flag', () => {
    const methods = paymentMethods(['khalti', 'stripe'], 'khalti:1000-500000,esewa:1000-100000,stripe:5000-900000', 'NPR');
    expect(methods.map((m) => [m.gateway, m.enabled, m.min_amount, m.max_amount])).toEqual([
      ['khalti', true, '10.00', '5000.00'],
      ['esewa', false, '10.00', '1000.00'],
      ['stripe', true, '50.00', '9000.00'],
    ]);
  });
});
