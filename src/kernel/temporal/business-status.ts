import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { SA_BUSINESS_STATUS } from './search-attributes';

/**
 * Moves the run's BusinessStatus search attribute, so the Temporal UI can filter by business
 * state (`BusinessStatus = 'awaiting_decision'`). Every workflow that reports one goes through here.
 */
export function setBusinessStatus(status: string): void {
  upsertSearchAttributes([{ key: SA_BUSINESS_STATUS, value: status }]);
}

/** 2026-11-23: payment intents and refunds keep BusinessStatus current (histories before this replay unchanged). */
export const BUSINESS_STATUS_PATCH = 'business-status-search-attribute';

/** setBusinessStatus for workflows that did not report one before the patch: their old runs skip it on replay. */
export function setBusinessStatusPatched(status: string): void {
  if (patched(BUSINESS_STATUS_PATCH)) setBusinessStatus(status);
}
