import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { gatewayClearing, userWallet } from '../../src/modules/ledger/rules/accounts';
import { createGateways, defaultPaymentConfig, startPaymentSandboxes, type PaymentSandboxes } from '../../src/modules/payments/gateways/registry';
import { type LedgerService } from '../../src/modules/ledger/services/ledger.service';
import { stackIn, useComposedFixture, withApi, type FixtureScope, type StackFixture, type StackOptions } from '../support/fixtures';
import { sessionToken, type TestStack } from '../support/stack';

/** A user row of the test's own. */
export async function createUser(orm: MikroORM, opts: { username?: string; role?: string } = {}): Promise<string> {
  const id = randomUUID();
  await orm.em
    .getConnection()
    .execute(`insert into users (id, username, email, role) values (?, ?, ?, ?)`, [
      id,
      opts.username ?? `u${id.slice(0, 12)}`,
      `${id}@test.local`,
      opts.role ?? 'customer',
    ]);
  return id;
}

/** Puts money in a user's wallet as a settled top-up would (wallet +, gateway clearing −). */
export async function fundWallet(ledger: LedgerService, userId: string, amountMinor: number, key = `test-fund:${randomUUID()}`) {
  return ledger.post({
    key,
    type: 'topup',
    userId,
    postings: [
      { account: userWallet(userId, 'NPR'), amountMinor },
      { account: gatewayClearing('khalti', 'NPR'), amountMinor: -amountMinor },
    ],
  });
}

/** Every entry balanced per currency, all postings together balanced, balances equal to postings. */
export async function ledgerInvariants(orm: MikroORM) {
  const conn = orm.em.getConnection();
  const unbalancedEntries = await conn.execute(
    `select entry_id, currency, sum(amount_minor) s from journal_postings group by entry_id, currency having sum(amount_minor) <> 0`,
  );
  const totals = await conn.execute(`select currency, sum(amount_minor)::bigint s from journal_postings group by currency`);
  const drift = await conn.execute(
    `select a.id from ledger_accounts a left join journal_postings p on p.account_id = a.id group by a.id, a.balance_minor having a.balance_minor <> coalesce(sum(p.amount_minor), 0)`,
  );
  return { unbalancedEntries: unbalancedEntries.length, nonZeroTotals: totals.filter((t) => Number(t.s) !== 0).length, drift: drift.length };
}

/** Bearer header of a real session for this user (created with the role if missing). */
export const bearer = async (stack: TestStack, userId: string, role: 'customer' | 'admin' = 'customer') => ({
  Authorization: `Bearer ${await sessionToken(stack, role, userId)}`,
});

/** The in-app notifications a user received (written by the real NotificationService). */
export async function notificationsOf(stack: { orm: MikroORM } | MikroORM, userId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const orm = 'orm' in stack ? stack.orm : stack;
  return orm.em.fork().getConnection().execute('select type, data from notifications where user_id = ? order by created_at', [userId]);
}

export interface PaymentStackFixture extends StackFixture {
  boxes: PaymentSandboxes;
  gateways: ReturnType<typeof createGateways>;
}

/**
 * In a fixture's setup: the Khalti, eSewa and Stripe sandboxes on ports of their own, the gateways
 * that talk to them, and a stack using those gateways (`opts.env` is added to the sandboxes' env),
 * to which the Stripe sandbox delivers its webhooks. The stack closes before the sandboxes stop.
 */
export async function paymentStackIn(
  scope: FixtureScope,
  opts: StackOptions & { sandboxes?: Parameters<typeof startPaymentSandboxes>[0]; gatewayTimeoutMs?: number } = {},
): Promise<PaymentStackFixture> {
  const boxes = await scope.use(startPaymentSandboxes({ ports: 0, ...opts.sandboxes }), (b) => b.stop());
  const gateways = createGateways(defaultPaymentConfig({ ...process.env, ...boxes.env }), { timeoutMs: opts.gatewayTimeoutMs });
  const stack = await stackIn(scope, { ...opts, env: { ...boxes.env, ...opts.env }, gateways });
  await boxes.stripe.setWebhookEndpoint({ url: `${stack.baseUrl}/api/payment/webhook/stripe`, autoDeliver: true });
  return { boxes, gateways, ...withApi(stack) };
}

/** paymentStackIn as the fixture of the calling describe; `more` adds the block's own values. */
export function usePaymentStack<X extends object = object>(
  opts: Parameters<typeof paymentStackIn>[1] = {},
  more?: (base: PaymentStackFixture, scope: FixtureScope) => Promise<X> | X,
) {
  return useComposedFixture((scope) => paymentStackIn(scope, opts), more);
}
