import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { LedgerReportService } from '../../src/modules/ledger/services/ledger-report.service';

export interface CheckResult {
  rentals: number;
  open: number;
  /** Completed rentals whose package charge is not exactly once in the ledger, or ended ones charged without a refund. */
  lostMinor: number;
  doubledMinor: number;
  notExactlyOnce: number;
  ledger: { unbalanced_entries: number; unbalanced_currencies: number; balance_drift: number };
  /** Rental workflows still running (none may be once every rental reached a final state). */
  stuckWorkflows: number;
}

const FINAL = ['completed', 'cancelled', 'failed', 'lost', 'resolved'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What must hold after each fault, read from the database and Temporal: every rental final, its
 * money exactly once in the ledger (a completed rental paid its package price once; any other end
 * paid nothing net), the ledger's invariants zero, and no rental workflow left running.
 */
export async function checkAll(orm: MikroORM, temporal: Client): Promise<CheckResult> {
  const conn = orm.em.getConnection();
  const [counts] = await conn.execute(
    `select count(*)::int rentals, count(*) filter (where status not in ('completed', 'cancelled', 'failed', 'lost', 'resolved'))::int open from rentals`,
  );
  // Per rental: what its entries took from the renter's wallet (charges minus refunds) against what it should have.
  const money = await conn.execute(
    `select r.id, r.status, r.price_minor::int price,
            (select count(*)::int from journal_entries e where e.idempotency_key = 'rental-charge:' || r.id) charges,
            coalesce((select -sum(jp.amount_minor)::int from journal_entries e join journal_postings jp on jp.entry_id = e.id
                       join ledger_accounts a on a.id = jp.account_id and a.owner_type = 'user' and a.kind = 'wallet'
                      where e.idempotency_key in ('rental-charge:' || r.id, 'refund:rental-charge:' || r.id, 'rental-usage:' || r.id)), 0) paid
       from rentals r`,
  );
  let lostMinor = 0;
  let doubledMinor = 0;
  let notExactlyOnce = 0;
  for (const m of money as { status: string; price: number; charges: number; paid: number }[]) {
    if (!FINAL.includes(m.status)) continue; // an open rental is counted as open (and its workflow as stuck), not as money
    const expected = m.status === 'completed' ? m.price : 0;
    if (m.paid < expected) lostMinor += expected - m.paid;
    if (m.paid > expected) doubledMinor += m.paid - expected;
    if (m.status === 'completed' && m.charges !== 1) notExactlyOnce++;
  }
  const { unbalanced_entries, unbalanced_currencies, balance_drift } = await new LedgerReportService(orm).checks();
  let stuckWorkflows = -1;
  // Up to 90 s: visibility lags a workflow's close a little, and a step that met PostgreSQL restarting
  // retries with back-off up to once a minute (a run left waiting on that retry when the rentals'
  // rows were already final failed the check at 30 s once). Stuck is still running after that.
  for (let t = 0; t < 90 && stuckWorkflows !== 0; t++) {
    // Both rental workflow types: rentals start as rentalV2Workflow now; the first version's may still run.
    const { count } = await temporal.workflow.count(`WorkflowType IN ('rentalWorkflow', 'rentalV2Workflow') AND ExecutionStatus = 'Running'`);
    stuckWorkflows = count;
    if (count) await sleep(1_000);
  }
  return {
    rentals: counts.rentals,
    open: counts.open,
    lostMinor,
    doubledMinor,
    notExactlyOnce,
    ledger: { unbalanced_entries, unbalanced_currencies, balance_drift },
    stuckWorkflows,
  };
}

/** Waits until no rental is open (at most `timeoutMs`), running `each` (return the power banks renters still hold) every round. */
export async function settle(orm: MikroORM, timeoutMs = 120_000, each: () => Promise<void> = async () => undefined): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await each().catch(() => undefined);
    const [row] = await orm.em
      .getConnection()
      .execute(`select count(*)::int open from rentals where status not in ('completed', 'cancelled', 'failed', 'lost', 'resolved')`)
      .catch(() => [{ open: -1 }]);
    if (row.open === 0 || Date.now() > end) return row.open;
    await sleep(500);
  }
}

/** Every check gates: money (lost, doubled, not exactly once, ledger invariants), every rental final, no workflow stuck. */
export const passed = (c: CheckResult) =>
  c.lostMinor === 0 &&
  c.doubledMinor === 0 &&
  c.notExactlyOnce === 0 &&
  Object.values(c.ledger).every((n) => n === 0) &&
  c.open === 0 &&
  c.stuckWorkflows === 0;

/**
 * What a failed check found, for the run's output: the rentals still open (status, last change),
 * and the rental workflows still running with their pending activities (attempt, last failure);
 * never throws (what it could not read becomes a line).
 */
export async function explainFailure(orm: MikroORM, temporal: Client, limit = 5): Promise<string[]> {
  return readExplanation(orm, temporal, limit).catch((err: Error) => [`not explained: ${err.message}`]);
}

async function readExplanation(orm: MikroORM, temporal: Client, limit: number): Promise<string[]> {
  const lines: string[] = [];
  const open = await orm.em
    .getConnection()
    .execute(
      `select id, status, updated_at, attention_step, attention_reason from rentals where status not in (${FINAL.map((s) => `'${s}'`).join(', ')}) order by updated_at limit ${limit}`,
    )
    .catch((err: Error) => [{ id: '?', status: `not read: ${err.message}`, updated_at: '', attention_step: null, attention_reason: null }]);
  for (const r of open as { id: string; status: string; updated_at: unknown; attention_step: string | null; attention_reason: string | null }[]) {
    const attention = r.attention_reason ? ` (at ${r.attention_step}: ${r.attention_reason})` : '';
    lines.push(`open rental ${r.id}: ${r.status}${attention} since ${String(r.updated_at)}`);
  }
  const running = temporal.workflow.list({ query: `WorkflowType IN ('rentalWorkflow', 'rentalV2Workflow') AND ExecutionStatus = 'Running'` });
  let n = 0;
  for await (const wf of running) {
    if (n++ >= limit) break;
    const described = await temporal.workflow.getHandle(wf.workflowId, wf.runId).describe();
    const pending = (described.raw.pendingActivities ?? []).map(
      (a) => `${a.activityType?.name} attempt ${a.attempt}${a.lastFailure?.message ? ` (${a.lastFailure.message.slice(0, 200)})` : ''}`,
    );
    lines.push(
      `running ${wf.workflowId} since ${wf.startTime.toISOString()}, history ${described.historyLength} events; pending: ${pending.join('; ') || 'none'}`,
    );
  }
  return lines;
}
