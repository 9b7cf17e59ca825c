import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { ensurePushSweepSchedule, pushSweepScheduleId } from '../modules/engagement';
import { ensureRentalSweepSchedule, rentalSweepScheduleId } from '../modules/rentals';
import { ensurePaymentLateCheckSchedule, paymentLateCheckScheduleId } from '../modules/payments';

/** The sweeper schedules of a task queue, created or brought up to date by every worker start. */
export async function ensureSchedules(setup: { client: Client; taskQueue: string; config: Config; paused?: boolean }) {
  return {
    pushSweeper: await ensurePushSweepSchedule(setup),
    rentalSweeper: await ensureRentalSweepSchedule(setup),
    paymentLateCheck: await ensurePaymentLateCheckSchedule(setup),
  };
}

/** Their ids, for a test that deletes them after use. */
export const scheduleIds = (taskQueue: string) => [pushSweepScheduleId(taskQueue), rentalSweepScheduleId(taskQueue), paymentLateCheckScheduleId(taskQueue)];
