import { CancellationScope, isCancellation } from '@temporalio/workflow';
import { AttentionResolved, createAttentionGuard, type Guard } from '../../../kernel/temporal/attention';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import type { RentalInput } from './definitions';
import { watchBayAfterEjectTimeout } from './eject-watch';
import { RENTAL_PATCHES } from './patches';
import type { RentalRuntime } from './runtime';
import { isHolding, type RentalState } from './state';
import { holdUntilReturn } from './timeline';

/** What both versions of the rental workflow do around their steps: park, hold, watch, end by hand. */

/** Parks the rental (`needs_attention`) on an unexpected final error, for an admin to retry or resolve. */
export function rentalGuard(input: RentalInput, s: RentalState, rt: RentalRuntime): Guard {
  return createAttentionGuard(
    {
      mark: ({ reason, step }) => rt.db.rentalNeedsAttention({ rentalId: input.rentalId, reason, step, at: Date.now() }),
      clear: () => rt.db.rentalAttentionCleared({ rentalId: input.rentalId, by: 'admin', at: Date.now() }),
    },
    { isExpected: () => false, resumeStatus: () => s.phase, enabled: () => rt.has(RENTAL_PATCHES.parkOnFailure) },
  );
}

/** After the eject: hold until the return (or the loss), then settle; or watch the bay of a timed-out eject. */
export async function afterEject(
  input: RentalInput,
  s: RentalState,
  guard: Guard,
  rt: RentalRuntime,
  settle: (end: 'returned' | 'lost') => Promise<void>,
): Promise<void> {
  if (s.eject!.ok) {
    setBusinessStatus('active');
    const end = await guard('hold', () => holdUntilReturn(input, s, rt.timeline));
    await guard('settle', () => settle(end));
  } else if (s.eject!.code === 'DEVICE_TIMEOUT' && rt.has(RENTAL_PATCHES.watchBayAfterEjectTimeout)) {
    setBusinessStatus(s.phase);
    await guard('eject-watch', () => watchBayAfterEjectTimeout(input));
  }
}

/**
 * How a run that cannot go on ends: an admin resolved it by hand (`resolved`), or an operator
 * cancelled it in the Temporal UI while the power bank was out (parked for admins: nothing can be
 * undone once the rider holds it). A cancellation during the eject was undone there (refund).
 */
export async function endedByHand(input: RentalInput, s: RentalState, err: unknown, rt: RentalRuntime): Promise<void> {
  if (err instanceof AttentionResolved) {
    s.phase = 'resolved';
    await rt.db.rentalResolvedByAdmin({ rentalId: input.rentalId, by: err.request.by, note: err.request.note, at: Date.now() });
    return;
  }
  if (isCancellation(err) && isHolding(s) && rt.has(RENTAL_PATCHES.parkOnFailure)) {
    await CancellationScope.nonCancellable(async () => {
      setBusinessStatus('needs_attention');
      await rt.db.rentalNeedsAttention({
        rentalId: input.rentalId,
        reason: 'cancelled in the Temporal UI while the power bank was out',
        step: 'hold',
        at: Date.now(),
      });
    });
  }
  throw err;
}
