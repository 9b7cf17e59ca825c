import { surfaceProfile } from '../../src/config';
import { randomUUID } from 'node:crypto';
import { gatewayClearing, userWallet } from '../../src/modules/ledger/rules/accounts';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { useTestStack } from '../support/fixtures';
import { sql } from '../support/db';
import { eventually } from '../support/stack';
import { bearer, createUser } from './support';

/**
 * The finance summary reads the real ledger. Other test files post at the same time, so exact
 * figures are checked on what only this file touches: its own gateway clearing account, and its
 * own entries moved to an instant where no one else posts.
 */
describe('ledger summary for finance', () => {
  const fx = useTestStack({ worker: false, bridge: false }, ({ stack }) => ({ money: createLedgerServices(stack.orm) }));
  const gateway = `gw-${randomUUID().slice(0, 8)}`;
  const summary = async (query = '') => {
    const res = await fx
      .api()
      .get(`/api/admin/ledger/summary${query}`)
      .set(await bearer(fx.stack, randomUUID(), 'admin'));
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const mine = (data: { platform_accounts: { owner: string }[] }) => data.platform_accounts.find((a) => a.owner === `gateway:${gateway}`);
  /**
   * Reads a figure from the summary, the same figure counted directly, and the summary again, until
   * the two summaries agree with each other and with the count (no other file posted in between).
   */
  const steady = async <T>(fromSummary: () => Promise<T>, direct: () => Promise<T>) => {
    let last: { summary?: T; direct?: T } = {};
    await eventually(async () => {
      const first = await fromSummary();
      const counted = await direct();
      const second = await fromSummary();
      last = { summary: first, direct: counted };
      return JSON.stringify(first) === JSON.stringify(second) && JSON.stringify(first) === JSON.stringify(counted);
    }).catch(() => undefined);
    return last;
  };

  it('when a top-up and a rental charge are posted, then the summary shows the gateway account, the movements by type and clean checks', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const userId = await createUser(fx.stack.orm);
    await fx.money.ledger.post({
      key: `test-topup:${randomUUID()}`,
      type: 'topup',
      userId,
      description: 'test top-up',
      postings: [
        { account: userWallet(userId, 'NPR'), amountMinor: 25_000 },
        { account: gatewayClearing(gateway, 'NPR'), amountMinor: -25_000 },
      ],
    });
    await fx.money.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId, amountMinor: 2_000, mode: 'wallet_only' });
    const after = new Date(Date.now() + 1000).toISOString();

    const data = await summary(`?from=${encodeURIComponent(before)}&to=${encodeURIComponent(after)}`);
    expect(mine(data)).toEqual({
      owner: `gateway:${gateway}`,
      kind: 'gateway_clearing',
      balance: { amount: '-250.00', amount_minor: -25_000, currency: 'NPR' },
      period_movement: { amount: '-250.00', amount_minor: -25_000, currency: 'NPR' },
    });
    expect(data.platform_accounts.some((a: { kind: string }) => a.kind === 'revenue')).toBe(true);
    expect(data.checks).toEqual({ unbalanced_entries: 0, unbalanced_currencies: 0, balance_drift: 0, ok: true });

    // A later period: the balance stands, nothing moved in it.
    const later = await summary(`?from=${encodeURIComponent(after)}`);
    expect(mine(later)).toMatchObject({ balance: { amount_minor: -25_000 }, period_movement: { amount_minor: 0 } });

    // The movements by type, exactly. Other files post in the same period too, so the expected
    // figures are counted here directly from the journal, once the period is over; this user's two
    // entries are among them.
    const own = await sql(
      fx.stack,
      'select type, count(*)::int as n from journal_entries where user_id = ? and created_at >= ? and created_at < ? group by type order by type',
      [userId, before, after],
    );
    expect(own).toEqual([
      { type: 'rental_charge', n: 1 },
      { type: 'topup', n: 1 },
    ]);
    const period = `?from=${encodeURIComponent(before)}&to=${encodeURIComponent(after)}`;
    await eventually(async () => Date.now() > Date.parse(after), 5_000);
    const counted = async () =>
      Object.fromEntries(
        (
          await sql(fx.stack, 'select type, count(*)::int as n from journal_entries where created_at >= ? and created_at < ? group by type order by type', [
            before,
            after,
          ])
        ).map((r) => [r.type, r.n]),
      );
    const byType = (d: { entries_by_type: { type: string; entries: number }[] }) => Object.fromEntries(d.entries_by_type.map((t) => [t.type, t.entries]));
    const types = await steady(async () => byType(await summary(period)), counted);
    expect(types.summary).toEqual(types.direct);

    // Wallets held is every customer's positive wallets in ChargeGhar's currency together (other products'
    // wallets, e.g. EV's in MNT, are not in it), moving as other files post: the others' plus this user's 230.00.
    const currency = surfaceProfile(fx.stack.config, 'chargeghar').currency;
    const othersHeld = async () =>
      Number(
        (
          await sql(
            fx.stack,
            `select coalesce(sum(balance_minor), 0) as held from ledger_accounts
             where owner_type = 'user' and kind = 'wallet' and currency = ? and balance_minor > 0 and owner_id <> ?`,
            [currency, userId],
          )
        )[0].held,
      );
    const held = await steady(
      async () => (await summary()).customers.wallets_held.amount_minor,
      async () => (await othersHeld()) + 23_000,
    );
    expect(held.summary).toBe(held.direct);
  });

  it('when the period is wrong or the caller is not an admin, then 400 or 403 in the chargeghar envelope', async () => {
    const admin = await bearer(fx.stack, randomUUID(), 'admin');
    const backwards = await fx.api().get('/api/admin/ledger/summary?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z').set(admin);
    expect(backwards.status).toBe(400);
    expect(backwards.body).toMatchObject({ success: false, error: { code: expect.any(String) } });
    expect((await fx.api().get('/api/admin/ledger/summary?from=yesterday').set(admin)).status).toBe(400);
    expect(
      (
        await fx
          .api()
          .get('/api/admin/ledger/summary')
          .set(await bearer(fx.stack, randomUUID()))
      ).status,
    ).toBe(403);
  });
});
