import { randomUUID } from 'node:crypto';
import { gatewayClearing, userWallet } from '../../src/modules/ledger/rules/accounts';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { useTestStack } from '../support/fixtures';
import { bearer, createUser } from './support';

/**
 * The finance summary reads the real ledger. Other test files post at the same time, so exact
 * figures are checked on an account only this file uses (its own gateway clearing account).
 */
describe('ledger summary for finance', () => {
  const fx = useTestStack({ worker: false, bridge: false }, ({ stack }) => ({ money: createLedgerServices(stack.orm) }));
  const gateway = `gw-${randomUUID().slice(0, 8)}`;
  const summary = async (query = '') => {
    const res = await fx.api().get(`/api/admin/ledger/summary${query}`).set(await bearer(fx.stack, randomUUID(), 'admin'));
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const mine = (data: { platform_accounts: { owner: string }[] }) => data.platform_accounts.find((a) => a.owner === `gateway:${gateway}`);

  it('when a top-up and a rental charge are posted, then the summary shows the gateway account, the movements by type and clean checks', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const userId = await createUser(fx.stack.orm);
    await fx.money.ledger.post({
      key: `test-topup:${randomUUID()}`, type: 'topup', userId, description: 'test top-up',
      postings: [{ account: userWallet(userId, 'NPR'), amountMinor: 25_000 }, { account: gatewayClearing(gateway, 'NPR'), amountMinor: -25_000 }],
    });
    await fx.money.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId, amountMinor: 2_000, mode: 'wallet_only' });
    const after = new Date(Date.now() + 1000).toISOString();

    const data = await summary(`?from=${encodeURIComponent(before)}&to=${encodeURIComponent(after)}`);
    expect(mine(data)).toEqual({
      owner: `gateway:${gateway}`, kind: 'gateway_clearing',
      balance: { amount: '-250.00', amount_minor: -25_000, currency: 'NPR' },
      period_movement: { amount: '-250.00', amount_minor: -25_000, currency: 'NPR' },
    });
    const types = Object.fromEntries(data.entries_by_type.map((t: { type: string; entries: number }) => [t.type, t.entries]));
    expect(types.topup).toBeGreaterThanOrEqual(1);
    expect(types.rental_charge).toBeGreaterThanOrEqual(1);
    expect(data.customers.wallets_held.amount_minor).toBeGreaterThanOrEqual(23_000);
    expect(data.platform_accounts.some((a: { kind: string }) => a.kind === 'revenue')).toBe(true);
    expect(data.checks).toEqual({ unbalanced_entries: 0, unbalanced_currencies: 0, balance_drift: 0, ok: true });

    // A later period: the balance stands, nothing moved in it.
    const later = await summary(`?from=${encodeURIComponent(after)}`);
    expect(mine(later)).toMatchObject({ balance: { amount_minor: -25_000 }, period_movement: { amount_minor: 0 } });
  });

  it('when the period is wrong or the caller is not an admin, then 400 or 403 in the chargeghar envelope', async () => {
    const admin = await bearer(fx.stack, randomUUID(), 'admin');
    const backwards = await fx.api().get('/api/admin/ledger/summary?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z').set(admin);
    expect(backwards.status).toBe(400);
    expect(backwards.body).toMatchObject({ success: false, error: { code: expect.any(String) } });
    expect((await fx.api().get('/api/admin/ledger/summary?from=yesterday').set(admin)).status).toBe(400);
    expect((await fx.api().get('/api/admin/ledger/summary').set(await bearer(fx.stack, randomUUID()))).status).toBe(403);
  });
});
