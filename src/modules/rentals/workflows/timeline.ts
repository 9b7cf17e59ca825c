import { condition } from '@temporalio/workflow';
import { lostAt, timeAlertAt } from '../rules/rules';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import type { RentalActivities } from '../activities/rental.activities';
import { db } from './acts';
import type { RentalInput } from './definitions';
import { messages } from './messages';
import type { RentalState } from './state';

/**
 * While the user holds the power bank: durable timers for the Time Alert, the due time (overdue,
 * fines start) and the fine cap (lost), and the end of a cancel's return window. Wakes early for
 * a return or a changed deadline (extension, cancel). Ends with how the rental ended.
 */
export async function holdUntilReturn(
  input: RentalInput,
  s: RentalState,
  acts: Pick<RentalActivities, 'rentalStatusChanged' | 'notifyRental'> = db,
): Promise<'returned' | 'lost'> {
  const r = input.rules;
  const event = (type: string, key: string, at: number, data?: Record<string, unknown>) => ({ rentalId: input.rentalId, type, key, at, data });
  for (;;) {
    if (s.ret) return 'returned';
    const now = Date.now();
    const due = s.dueAt!;
    const alertAt = timeAlertAt(s.startedAt!, due, r);
    if (s.cancel && now >= s.cancel.returnBy) {
      // Not back in time: the cancel lapses and the rental goes on as if never asked.
      s.cancel = undefined;
      s.phase = now >= due ? 'overdue' : 'active';
      await acts.rentalStatusChanged({
        rentalId: input.rentalId,
        status: s.phase,
        cancelRequestedAt: null,
        event: event('cancel_lapsed', 'cancel-lapsed', now),
      });
      continue;
    }
    if (alertAt !== null && s.alertedFor !== due && now >= alertAt && now < due) {
      s.alertedFor = due;
      await acts.notifyRental({
        event: event('time_alert', `time-alert:${due}`, now, { due_at: new Date(due).toISOString() }),
        notification: messages.timeAlert(input, due),
      });
      continue;
    }
    if (s.phase === 'active' && now >= due) {
      s.phase = 'overdue';
      setBusinessStatus('overdue');
      await acts.rentalStatusChanged({
        rentalId: input.rentalId,
        status: 'overdue',
        event: event('overdue', 'overdue', now, { due_at: new Date(due).toISOString() }),
      });
      await acts.notifyRental({ event: event('notified', 'notified:overdue', now), notification: messages.overdue(input) });
      continue;
    }
    if (s.phase === 'overdue' && now >= lostAt(due, r)) return 'lost';
    const next = [
      s.cancel?.returnBy,
      alertAt !== null && s.alertedFor !== due ? alertAt : undefined,
      s.phase === 'active' ? due : undefined,
      s.phase === 'overdue' ? lostAt(due, r) : undefined,
    ].filter((t): t is number => t !== undefined && t > now);
    const version = s.version;
    const woken = () => s.ret !== undefined || s.version !== version;
    if (next.length) await condition(woken, Math.min(...next) - now);
    else await condition(woken);
  }
}
