import { ActivityFailure, ApplicationFailure, sleep } from '@temporalio/workflow';
import type { RentalActivities } from '../activities/rental.activities';
import { db } from './acts';
import type { RentalInput } from './definitions';

export type Compensation = () => Promise<unknown>;

/** How long to wait after an ack timeout for the kiosk's slot event before deciding. */
const SLOT_EVENT_GRACE_MS = 3_000;

/**
 * An ack can be lost while the latch did open. Before refunding, give the kiosk's slot event a
 * moment to arrive: a bay that no longer holds the power bank means it left with the user.
 */
export async function ejectedWithoutAck(input: RentalInput, acts: Pick<RentalActivities, 'bayReleased'> = db): Promise<boolean> {
  await sleep(SLOT_EVENT_GRACE_MS);
  return acts.bayReleased({ stationSn: input.stationSn, slot: input.slot, powerBankSn: input.powerBankSn });
}

/** The shortfall of a charge refused for lack of balance (undefined for any other error). */
export function shortfallOf(err: unknown): number | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure) || cause.type !== 'InsufficientBalance') return undefined;
  const d = (cause.details?.[0] ?? {}) as { shortfall_minor?: number; needed_minor?: number };
  return d.shortfall_minor ?? d.needed_minor ?? 0;
}
