import { patched, proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import { createAttentionGuard, type Guard } from '../../../kernel/temporal/attention';
import type { DispensingActivities } from '../activities/dispensing.activities';
import { waterGatewayQueue, type WaterRunKind } from './definitions';
import { WATER_PATCHES } from './patches';

/** Database and money steps retry without a cap (a database that is down comes back); a refusal (AppError) is final. */
const DB: ActivityOptions = { startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '1m' } };

/** A gateway call (Daraja, Paystack, Africa's Talking): HTTP gives up after 10 s; a few tries, then the workflow decides. */
const GATEWAY: ActivityOptions = { startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 3 } };

/**
 * The activities of one water run. From WATER_PATCHES.gatewayQueue on, the gateway calls go to the
 * gateway worker's queue (`<task queue>-gateways`) with bounded retries (`split`); runs started
 * before keep them on their own queue (`sms` then retries without a cap, as it did).
 */
export function waterActs(smsAttempts = 8) {
  const split = patched(WATER_PATCHES.gatewayQueue);
  const onGateway = split ? { taskQueue: waterGatewayQueue(workflowInfo().taskQueue) } : {};
  return {
    split,
    db: proxyActivities<DispensingActivities>(DB),
    gateway: proxyActivities<DispensingActivities>({ ...GATEWAY, ...onGateway }),
    /** A look inside the payment's poll loop: one try (the loop is the retry; the last look before parking has all three). */
    poll: proxyActivities<DispensingActivities>(split ? { ...GATEWAY, ...onGateway, retry: { maximumAttempts: 1 } } : GATEWAY),
    /** The SMS with the code: `smsAttempts` tries (WATER_SMS_ATTEMPTS), backing off to a minute, before the run parks. */
    sms: proxyActivities<DispensingActivities>(
      split ? { ...GATEWAY, ...onGateway, retry: { initialInterval: '1s', maximumInterval: '1m', maximumAttempts: smsAttempts } } : DB,
    ),
  };
}
export type WaterActs = ReturnType<typeof waterActs>;

/**
 * Parks a water run as `needs_attention` (row + BusinessStatus) when a guarded gateway step fails
 * past its retries, for an admin to retry (the gateway is back) or resolve by hand.
 */
export function waterGuard(kind: WaterRunKind, transactionReference: string, a: WaterActs, resumeStatus: () => string): Guard {
  return createAttentionGuard(
    {
      mark: ({ reason, step }) => a.db.waterMarkAttention({ transactionReference, kind, reason, step }),
      clear: () => a.db.waterClearAttention({ transactionReference }),
    },
    { isExpected: () => false, resumeStatus, enabled: () => a.split },
  );
}
