import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { SA_BUSINESS_STATUS } from './search-attributes';

/** 2026-11-23: payment intents and refunds keep BusinessStatus current (histories before this replay unchanged). */
export const BUSINESS_STATUS_PATCH = 'business-status-search-attribute';

/**
 * Moves the run's BusinessStatus search attribute, so the Temporal UI can filter by business
 * state (`BusinessStatus = 'awaiting_decision'`). Runs recorded before the patch skip it on replay.
 */
export function setBusinessStatusPatched(status: string): void {
  if (patched(BUSINESS_STATUS_PATCH)) upsertSearchAttributes([{ key: SA_BUSINESS_STATUS, value: status }]);
}
