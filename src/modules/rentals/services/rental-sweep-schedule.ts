import type { Client } from '@temporalio/client';
import type { Config } from '../../../config';
import { ensureSweepSchedule } from '../../../kernel/temporal/schedules';
import { rentalSweepScheduleId, type RentalSweepWorkflow } from '../workflows/definitions';

/** The rental sweeper of a task queue (src/kernel/temporal/schedules.ts): rentals left `starting` without a workflow. */
export function ensureRentalSweepSchedule(setup: {
  client: Client;
  taskQueue: string;
  config: Pick<Config, 'RENTAL_SWEEP_INTERVAL_SECONDS'>;
  paused?: boolean;
}): Promise<'created' | 'updated'> {
  const { client, taskQueue, config } = setup;
  return ensureSweepSchedule<RentalSweepWorkflow>(client, {
    scheduleId: rentalSweepScheduleId(taskQueue),
    everySeconds: config.RENTAL_SWEEP_INTERVAL_SECONDS,
    action: { workflowType: 'rentalSweepWorkflow', workflowId: `rental-sweep:${taskQueue}`, taskQueue, args: [], workflowExecutionTimeout: '10 minutes' },
    note: 'rental sweeper: fails rentals left starting without a workflow',
    paused: setup.paused,
  });
}
