import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GatewayActivities, PaymentActivities } from '../activities/workflow-types';
import { gatewayTaskQueue, type PaymentLateCheckWorkflow } from './definitions';

const BATCH = 50;
const MAX_BATCHES = 10;

/** Database steps retry without a cap; a gateway look is one try-with-retries bounded to a minute (the next sweep asks again). */
const db = proxyActivities<PaymentActivities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } });

/**
 * `payment-late-check:<task queue>` (a Temporal Schedule runs it, overlap SKIP): looks up again the
 * intents that were closed without the gateway settling them (Khalti `Pending`/`Initiated`, eSewa
 * `PENDING`/`AMBIGUOUS`/`NOT_FOUND`, a lookup that failed), each on its own back-off; a late
 * success is credited once and the customer told, however long after the app said `expired`.
 */
export const paymentLateCheckWorkflow: PaymentLateCheckWorkflow = async function paymentLateCheckWorkflow(input = {}) {
  const gateway = proxyActivities<GatewayActivities>({
    taskQueue: gatewayTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds', nonRetryableErrorTypes: ['GatewayRefused', 'GatewayNotConfigured'] },
  });
  let looked = 0;
  let credited = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const due = await db.dueLateChecks({ limit: BATCH, only: input.only });
    for (const intent of due) {
      const result = await gateway
        .lookupPayment({ intentId: intent.intentId, gateway: intent.gateway, gatewayRef: intent.gatewayRef, amountMinor: intent.amountMinor })
        .catch(() => null);
      if ((await db.concludeLateCheck({ intent, result })) === 'credited') credited++;
      looked++;
    }
    if (due.length < BATCH) break;
  }
  return { looked, credited };
};
