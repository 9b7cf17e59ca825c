import request from 'supertest';
import { sql } from '../support/db';
import { adminToken, type TestStack } from '../support/stack';

/** Rental, top-up and refund states from which nothing moves on by itself. `needs_attention` is named and listed for admins. */
const FINAL = {
  rentals: ['completed', 'cancelled', 'failed', 'lost', 'resolved', 'needs_attention'],
  payment_intents: ['success', 'failed', 'canceled', 'expired', 'needs_attention'],
  refund_requests: ['completed', 'rejected', 'failed', 'needs_attention'],
} as const;

/**
 * What every fault scenario ends with: the ledger's own checks (as finance reads them at
 * `/api/admin/ledger/summary`) all zero, and none of the users' rentals, top-ups or refunds left
 * in a state that is neither final nor named. Returns what it found, for one `toEqual`.
 */
export async function strandedState(stack: TestStack, userIds: string[]) {
  const admin = await adminToken(stack);
  const res = await request(stack.baseUrl).get('/api/admin/ledger/summary').set('Authorization', `Bearer ${admin}`);
  const { ok, ...checks } = res.body.data.checks as Record<string, unknown>;
  const stray: string[] = [];
  for (const [table, states] of Object.entries(FINAL)) {
    const rows = await sql(stack, `select id, status from ${table} where user_id in (?) and status not in (?)`, [userIds, [...states]]);
    stray.push(...rows.map((r) => `${table} ${r.id} ${r.status}`));
  }
  return { checks, ledgerOk: ok, stray };
}

export const NOTHING_STRANDED = { checks: { unbalanced_entries: 0, unbalanced_currencies: 0, balance_drift: 0 }, ledgerOk: true, stray: [] };
