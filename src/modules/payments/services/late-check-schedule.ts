import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Config } from '../../../config';
import { paymentLateCheckScheduleId, type PaymentLateCheckWorkflow } from '../workflows/definitions';

export { paymentLateCheckScheduleId };

/**
 * Creates the late-check schedule of a task queue (or brings an existing one to the current
 * interval, keeping its paused state): every PAYMENT_LATE_CHECK_SWEEP_MINUTES it runs
 * `paymentLateCheckWorkflow`, overlap SKIP. Every worker of the queue calls it at start.
 */
export async function ensurePaymentLateCheckSchedule(setup: {
  client: Client;
  taskQueue: string;
  config: Pick<Config, 'PAYMENT_LATE_CHECK_SWEEP_MINUTES'>;
  paused?: boolean;
}): Promise<'created' | 'updated'> {
  const { client, taskQueue, config } = setup;
  const scheduleId = paymentLateCheckScheduleId(taskQueue);
  const spec = { intervals: [{ every: `${config.PAYMENT_LATE_CHECK_SWEEP_MINUTES}m` as const }] };
  const action: ScheduleOptionsStartWorkflowAction<PaymentLateCheckWorkflow> = {
    type: 'startWorkflow',
    workflowType: 'paymentLateCheckWorkflow',
    workflowId: `payment-late-check:${taskQueue}`,
    taskQueue,
    args: [{}],
    workflowExecutionTimeout: '30 minutes',
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' as const };
  try {
    const note = 'late checks: looks up intents closed before the gateway settled them, and credits late payments';
    await client.schedule.create({ scheduleId, spec, action, policies, state: { paused: setup.paused ?? false, note } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  return 'updated';
}
