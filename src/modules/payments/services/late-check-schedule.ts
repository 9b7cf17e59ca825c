import type { Client } from '@temporalio/client';
import type { Config } from '../../../config';
import { ensureSweepSchedule } from '../../../kernel/temporal/schedules';
import { paymentLateCheckScheduleId, type PaymentLateCheckWorkflow } from '../workflows/definitions';

export { paymentLateCheckScheduleId };

/**
 * The late-check schedule of a task queue: every PAYMENT_LATE_CHECK_SWEEP_MINUTES it runs
 * `paymentLateCheckWorkflow` (overlap SKIP), which looks up again the intents closed before their
 * gateway settled them and credits late payments. Every worker of the queue ensures it at start.
 */
export function ensurePaymentLateCheckSchedule(setup: {
  client: Client;
  taskQueue: string;
  config: Pick<Config, 'PAYMENT_LATE_CHECK_SWEEP_MINUTES'>;
  paused?: boolean;
}): Promise<'created' | 'updated'> {
  return ensureSweepSchedule<PaymentLateCheckWorkflow>(setup.client, {
    scheduleId: paymentLateCheckScheduleId(setup.taskQueue),
    everySeconds: Math.round(setup.config.PAYMENT_LATE_CHECK_SWEEP_MINUTES * 60),
    action: {
      workflowType: 'paymentLateCheckWorkflow',
      workflowId: `payment-late-check:${setup.taskQueue}`,
      taskQueue: setup.taskQueue,
      args: [{}],
      workflowExecutionTimeout: '30 minutes',
    },
    note: 'late checks: looks up intents closed before the gateway settled them, and credits late payments',
    paused: setup.paused,
  });
}
