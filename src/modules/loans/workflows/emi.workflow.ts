import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import type { LoanActivities } from '../activities/loan.activities';
import { daysOverdue, lateFeePaise } from '../rules/emi';
import { istDate, istDayStartMs } from '../rules/ledger-keys';
import { autoDisableUpdate, emiPaidSignal, emiStateQuery, loanForeclosedSignal, type EmiInput } from './definitions';

const acts = proxyActivities<LoanActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const DAY = 86_400_000;
const REMINDER_DAYS_BEFORE = 3;
/** Reminders go out at 10:00 India time. */
const REMINDER_HOUR_MS = 10 * 3_600_000;

/** Waits until `atMs` (workflow time) or until `stop()` is true; returns whether it stopped early. */
const waitUntil = (atMs: number, stop: () => boolean) => (atMs > Date.now() ? condition(stop, atMs - Date.now()) : Promise.resolve(stop()));

interface EmiState {
  paid: boolean;
  /** Foreclosed (signal after the webhook applied it, or the instalment found closed): the schedule ends. */
  closed: boolean;
  threshold: number;
  disabled: boolean;
  overdue: number;
  nudged: boolean;
  collecting: boolean;
}

/** The run's signal, update and query handlers over its state. */
function handle(input: EmiInput): EmiState {
  const st: EmiState = {
    paid: false,
    closed: false,
    threshold: input.rules.disableAfterDays,
    disabled: input.disabled ?? false,
    overdue: 0,
    nudged: false,
    collecting: false,
  };
  setHandler(emiPaidSignal, (p) => {
    if (p.seq === input.seq) st.paid = true;
  });
  setHandler(loanForeclosedSignal, () => {
    st.closed = true;
  });
  // POST /finance/auto-disable: the threshold applies now; answers once this run has acted on it.
  setHandler(autoDisableUpdate, async ({ thresholdDays }) => {
    st.threshold = Math.min(st.threshold, thresholdDays);
    if (!st.collecting || st.paid || st.closed) return { disabled: st.disabled, overdueDays: st.overdue };
    st.nudged = true;
    await condition(() => !st.nudged || st.paid || st.closed);
    return { disabled: st.disabled, overdueDays: st.overdue };
  });
  setHandler(emiStateQuery, () => ({
    seq: input.seq,
    status: st.closed ? 'closed' : st.paid ? 'paid' : st.disabled ? 'disabled' : st.overdue > 0 ? 'overdue' : 'current',
    overdueDays: st.overdue,
  }));
  return st;
}

/** Each IST day overdue: the late fee, and the battery disabled at the threshold; until paid or foreclosed. */
async function collect(input: EmiInput, st: EmiState, dueDate: string): Promise<void> {
  st.collecting = true;
  while (!st.paid && !st.closed) {
    st.overdue = daysOverdue(dueDate, Date.now());
    if (st.overdue > 0) {
      setBusinessStatus(st.disabled ? 'disabled' : 'overdue');
      await acts.recordOverdue({ loanId: input.loanId, seq: input.seq, feePaise: lateFeePaise(st.overdue, input.rules), overdueDays: st.overdue });
    }
    if (st.overdue > 0 && st.overdue >= st.threshold && !st.disabled && !st.closed) {
      await acts.setLoanBattery({
        loanId: input.loanId,
        serial: input.serial,
        action: 'inactive',
        reason: `emi:${input.loanId}:${input.seq} overdue ${st.overdue} days`,
      });
      st.disabled = true;
      setBusinessStatus('disabled');
    }
    st.nudged = false;
    await waitUntil(istDayStartMs(istDate(Date.now())) + DAY + 1000, () => st.paid || st.nudged || st.closed);
  }
}

/**
 * `emi:<loanId>`, one instalment per run (continue-as-new carries the loan to the next): a
 * reminder SMS 3 days before the due date, a payment link on it, then each day overdue the late
 * fee (after the grace days, capped) and, at `disableAfterDays` overdue (or an admin's lower
 * threshold), the battery disabled through `battery-control:<serial>`. A payment (signal from the
 * Razorpay webhook) settles the instalment and re-enables the battery at once. A foreclosure
 * (`loanForeclosed`, after the webhook applied it) ends the schedule `closed` at any step, the
 * battery enabled. Histories without that signal run the same commands as before it existed.
 */
export async function emiWorkflow(input: EmiInput): Promise<{ loanId: number; status: 'closed' }> {
  const st = handle(input);
  const inst = await acts.loadInstalment({ loanId: input.loanId, seq: input.seq });
  st.paid = st.paid || inst.paid;
  st.closed = st.closed || Boolean(inst.closed);
  const stop = () => st.paid || st.closed;
  const dueStart = istDayStartMs(inst.dueDate);
  if (!stop() && !(await waitUntil(dueStart - REMINDER_DAYS_BEFORE * DAY + REMINDER_HOUR_MS, stop)) && Date.now() < dueStart)
    await acts.sendEmiReminder({ loanId: input.loanId, seq: input.seq, dueDate: inst.dueDate });
  if (!stop() && !(await waitUntil(dueStart, stop))) await acts.openInstalment({ loanId: input.loanId, seq: input.seq });
  await collect(input, st, inst.dueDate);
  if (st.disabled) {
    const reason = st.closed ? `emi:${input.loanId} foreclosed` : `emi:${input.loanId}:${input.seq} paid`;
    await acts.setLoanBattery({ loanId: input.loanId, serial: input.serial, action: 'active', reason });
    st.disabled = false;
  }
  const last = st.closed || input.seq >= input.tenure;
  await acts.markLoanCurrent({ loanId: input.loanId, closed: last });
  setBusinessStatus(last ? 'closed' : 'current');
  if (last) return { loanId: input.loanId, status: 'closed' };
  return continueAsNew<typeof emiWorkflow>({ ...input, seq: input.seq + 1, disabled: st.disabled });
}
