import { randomUUID } from 'node:crypto';
import { gatewayClearing, systemAccount, userWallet } from '../../src/modules/ledger/rules/accounts';
import { ChargeService } from '../../src/modules/ledger/services/charge.service';
import { LedgerService } from '../../src/modules/ledger/services/ledger.service';
import { useTestStack } from '../support/fixtures';
import { createUser, fundWallet, ledgerInvariants } from './support';

describe('double-entry ledger', () => {
  const fx = useTestStack({ worker: false, bridge: false, env: {} }, ({ stack }) => {
    const ledger = new LedgerService(stack.orm);
    return { ledger, charges: new ChargeService(ledger) };
  });

  it('when 50 debits race against one wallet, then it is never overdrawn and the ledger stays balanced', async () => {
    const userId = await createUser(fx.stack.orm);
    await fundWallet(fx.ledger, userId, 1000);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        fx.charges.charge({ currency: 'NPR', key: `rental-charge:${userId}:${i}`, userId, amountMinor: 30, mode: 'wallet_only' }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toBe(33);
    expect(refused.every((r) => r.reason.code === 'INSUFFICIENT_BALANCE')).toBe(true);
    expect(await fx.ledger.balance(userWallet(userId, 'NPR'))).toBe(1000 - 33 * 30);
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when the same entry is applied twice and then ten times at once, then it is applied exactly once', async () => {
    const userId = await createUser(fx.stack.orm);
    const key = `topup:${randomUUID()}`;
    const first = await fundWallet(fx.ledger, userId, 500, key);
    const again = await fundWallet(fx.ledger, userId, 500, key);
    expect(first.applied).toBe(true);
    expect(again).toMatchObject({ id: first.id, applied: false });

    const key2 = `topup:${randomUUID()}`;
    const racing = await Promise.all(Array.from({ length: 10 }, () => fundWallet(fx.ledger, userId, 700, key2)));
    expect(new Set(racing.map((e) => e.id)).size).toBe(1);
    expect(racing.filter((e) => e.applied)).toHaveLength(1);
    expect(await fx.ledger.balance(userWallet(userId, 'NPR'))).toBe(1200);
  });

  it('when a key is reused for a different movement, then it is refused with 409 and nothing moves', async () => {
    const userId = await createUser(fx.stack.orm);
    const key = `topup:${randomUUID()}`;
    await fundWallet(fx.ledger, userId, 500, key);
    await expect(fundWallet(fx.ledger, userId, 900, key)).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 409 });
    expect(await fx.ledger.balance(userWallet(userId, 'NPR'))).toBe(500);
  });

  it('when an unbalanced entry is written straight into the tables, then the deferred trigger refuses it at commit', async () => {
    const userId = await createUser(fx.stack.orm);
    const ids = await fx.ledger.ensureAccounts([userWallet(userId, 'NPR'), gatewayClearing('esewa', 'NPR')]);
    const conn = fx.stack.orm.em.getConnection();
    await expect(
      conn.transactional(async (trx) => {
        const [e] = await conn.execute(
          `insert into journal_entries (idempotency_key, type) values (?, 'topup') returning id`,
          [`bad:${randomUUID()}`],
          'all',
          trx,
        );
        await conn.execute(
          `insert into journal_postings (entry_id, account_id, amount_minor, currency, balance_after_minor) values (?, ?, 100, 'NPR', 100), (?, ?, -99, 'NPR', -99)`,
          [e.id, ids.get(`user:${userId}:wallet:NPR`), e.id, ids.get('gateway:esewa:gateway_clearing:NPR')],
          'run',
          trx,
        );
      }),
    ).rejects.toThrow(/unbalanced/);
    expect(await fx.ledger.balance(userWallet(userId, 'NPR'))).toBe(0);
  });

  it('when a charge exceeds the balance, then only a post-payment due may take the wallet below zero', async () => {
    const userId = await createUser(fx.stack.orm);
    await fundWallet(fx.ledger, userId, 300);
    await expect(fx.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId, amountMinor: 500 })).rejects.toMatchObject({
      code: 'INSUFFICIENT_BALANCE',
    });
    await expect(
      fx.ledger.post({
        key: `x:${randomUUID()}`,
        type: 'rental_charge',
        userId,
        postings: [
          { account: userWallet(userId, 'NPR'), amountMinor: -500 },
          { account: systemAccount('revenue', 'NPR'), amountMinor: 500 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    const due = await fx.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId, amountMinor: 500, allowDue: true });
    expect(due.breakdown).toMatchObject({ walletUsedMinor: 300, shortfallMinor: 200 });
    expect(await fx.ledger.walletSummary(userId, 'NPR')).toMatchObject({ balance: '0.00', due: '2.00', due_minor: 200 });
  });

  it('when an entry is reversed twice, then one reversal exists and the balances are back', async () => {
    const userId = await createUser(fx.stack.orm);
    await fundWallet(fx.ledger, userId, 1000);
    const charge = await fx.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId, amountMinor: 400 });
    const r1 = await fx.ledger.reverse(charge.id, { key: `refund:${charge.id}`, type: 'refund', userId });
    const r2 = await fx.ledger.reverse(charge.id, { key: `refund:${charge.id}`, type: 'refund', userId });
    expect(r2).toMatchObject({ id: r1.id, applied: false, reversesEntryId: charge.id });
    expect(await fx.ledger.balance(userWallet(userId, 'NPR'))).toBe(1000);
  });
});
