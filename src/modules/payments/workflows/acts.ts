import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GatewayActivities, PaymentActivities, RefundActivities } from '../activities/workflow-types';
import type { SocialActivities } from '../../social';
import { gatewayTaskQueue } from './definitions';
import { PAYMENT_PATCHES } from './patches';

/** Final answers a workflow handles itself; anything else final parks the run (needs_attention). */
export const BUSINESS_REFUSALS = ['IntentNotFound', 'GatewayNotConfigured', 'GatewayRefused', 'GatewayRefundFailed', 'InsufficientBalance', 'AlreadyReversed'];

/**
 * Database and ledger steps: idempotent, so an infrastructure error (the database away) is retried
 * for as long as it lasts, backing off to one try a minute; no attempt cap.
 */
const DB = {
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: BUSINESS_REFUSALS },
} as const;

/** Gateway calls: HTTP gives up after GATEWAY_HTTP_TIMEOUT_MS (10 s), well inside the 30 s start-to-close. */
const GATEWAY = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: BUSINESS_REFUSALS },
} as const;

/** Where this run's gateway calls go: the gateway queue, or (runs started before it) the run's own queue. */
function gatewayQueueOf(): string | undefined {
  return patched(PAYMENT_PATCHES.gatewayQueue) ? gatewayTaskQueue(workflowInfo().taskQueue) : undefined;
}

/**
 * The activities of one run. `session` is bounded by the customer's wait (`sessionTimeoutMs`);
 * `lookup` by one poll (a minute: the loop, and after the TTL the late-check schedule, look again,
 * so a gateway that is down for hours fails nothing); every other step retries without a cap.
 */
export function paymentActs(opts: { sessionTimeoutMs?: number } = {}) {
  const taskQueue = gatewayQueueOf();
  const onGateway = { ...GATEWAY, ...(taskQueue ? { taskQueue } : {}) };
  return {
    split: taskQueue !== undefined,
    db: proxyActivities<PaymentActivities & RefundActivities>(DB),
    social: proxyActivities<SocialActivities>(DB),
    gateway: proxyActivities<GatewayActivities>(onGateway),
    session: proxyActivities<GatewayActivities & Pick<PaymentActivities, 'createGatewaySession'>>({
      ...onGateway,
      scheduleToCloseTimeout: opts.sessionTimeoutMs ?? 15_000,
      retry: { ...GATEWAY.retry, maximumInterval: '5 seconds' },
    }),
    lookup: proxyActivities<GatewayActivities>({
      ...onGateway,
      scheduleToCloseTimeout: '1 minute',
      retry: { ...GATEWAY.retry, maximumInterval: '10 seconds' },
    }),
  };
}
export type PaymentActs = ReturnType<typeof paymentActs>;
