import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import type { LoanActivities } from '../activities/loan.activities';
import { daysOverdue, lateFeePaise } from '../rules/emi';
import { istDate, istDayStartMs } from '../rules/ledger-keys';
import { autoDisableUpdate, emiPaidSignal, emiStateQuery, type EmiInput } from './definitions';

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

/**
 * `emi:<loanId>`, one instalment per run (continue-as-new carries the loan to the next): a
 * reminder SMS 3 days before the due date, a payment link on it, then each day overdue the late
 * fee (after the grace days, capped) and, at `disableAfterDays` overdue (or an admin's lower
 * threshold), the battery disabled through `battery-control:<serial>`. A payment (signal from the
 * Razorpay webhook) settles the instalment and re-enables the battery at once.
 */
export async function emiWorkflow(input: EmiInput): Promise<{ loanId: number; status: 'closed' }> {
  let paid = false;
  let threshold = input.rules.disableAfterDays;
  let disabled = input.disabled ?? false;
  let overdue = 0;
  let nudged = false;
  setHandler(emiPaidSignal, (p) => {
    if (p.seq === input.seq) paid = true;
  });
  let collecting = false;
  // POST /finance/auto-disable: the threshold applies now; answers once this run has acted on it.
  setHandler(autoDisableUpdate, async ({ thresholdDays }) => {
    threshold = Math.min(threshold, thresholdDays);
    if (!collecting || paid) return { disabled, overdueDays: overdue };
    nudged = true;
    await condition(() => !nudged || paid);
    return { disabled, overdueDays: overdue };
  });
  setHandler(emiStateQuery, () => ({
    seq: input.seq,
    status: paid ? 'paid' : disabled ? 'disabled' : overdue > 0 ? 'overdue' : 'current',
    overdueDays: overdue,
  }));

  const inst = await acts.loadInstalment({ loanId: input.loanId, seq: input.seq });
  paid = paid || inst.paid;
  const dueStart = istDayStartMs(inst.dueDate);
  if (!paid && !(await waitUntil(dueStart - REMINDER_DAYS_BEFORE * DAY + REMINDER_HOUR_MS, () => paid)) && Date.now() < dueStart)
    await acts.sendEmiReminder({ loanId: input.loanId, seq: input.seq, dueDate: inst.dueDate });
  if (!paid && !(await waitUntil(dueStart, () => paid))) await acts.openInstalment({ loanId: input.loanId, seq: input.seq });
  collecting = true;
  while (!paid) {
    overdue = daysOverdue(inst.dueDate, Date.now());
    if (overdue > 0) {
      setBusinessStatus(disabled ? 'disabled' : 'overdue');
      await acts.recordOverdue({ loanId: input.loanId, seq: input.seq, feePaise: lateFeePaise(overdue, input.rules), overdueDays: overdue });
    }
    if (overdue > 0 && overdue >= threshold && !disabled) {
      await acts.setLoanBattery({
        loanId: input.loanId,
        serial: input.serial,
        action: 'inactive',
        reason: `emi:${input.loanId}:${input.seq} overdue ${overdue} days`,
      });
      disabled = true;
      setBusinessStatus('disabled');
    }
    nudged = false;
    await waitUntil(istDayStartMs(istDate(Date.now())) + DAY + 1000, () => paid || nudged);
  }
  if (disabled) {
    await acts.setLoanBattery({ loanId: input.loanId, serial: input.serial, action: 'active', reason: `emi:${input.loanId}:${input.seq} paid` });
    disabled = false;
  }
  const last = input.seq >= input.tenure;
  await acts.markLoanCurrent({ loanId: input.loanId, closed: last });
  setBusinessStatus(last ? 'closed' : 'current');
  if (last) return { loanId: input.loanId, status: 'closed' };
  return continueAsNew<typeof emiWorkflow>({ ...input, seq: input.seq + 1, disabled });
}
