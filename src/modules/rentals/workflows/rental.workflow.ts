import { allHandlersFinished, CancellationScope, condition, isCancellation, patched } from '@temporalio/workflow';
import { createDeviceCommander } from '../../../kernel/devices/commander';
import { AttentionResolved, createAttentionGuard, type Guard } from '../../../kernel/temporal/attention';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import { db } from './acts';
import type { RentalInput, RentalWorkflow } from './definitions';
import { ejectPowerBank, notifyEjectOutcome } from './eject';
import { watchBayAfterEjectTimeout } from './eject-watch';
import { registerRentalHandlers } from './handlers';
import { RENTAL_PATCHES } from './patches';
import { settleRental } from './settle';
import { initialState, isHolding, snapshot, type RentalState } from './state';
import { holdUntilReturn } from './timeline';

/** Parks the rental (`needs_attention`) on an unexpected final error, for an admin to retry or resolve. */
function rentalGuard(input: RentalInput, s: RentalState): Guard {
  return createAttentionGuard(
    {
      mark: ({ reason, step }) => db.rentalNeedsAttention({ rentalId: input.rentalId, reason, step, at: Date.now() }),
      clear: () => db.rentalAttentionCleared({ rentalId: input.rentalId, by: 'admin', at: Date.now() }),
    },
    { isExpected: () => false, resumeStatus: () => s.phase, enabled: () => patched(RENTAL_PATCHES.parkOnFailure) },
  );
}

/** After the eject: hold until the return (or the loss), then settle; or watch the bay of a timed-out eject. */
async function afterEject(input: RentalInput, s: RentalState, guard: Guard): Promise<void> {
  if (s.eject!.ok) {
    setBusinessStatus('active');
    const end = await guard('hold', () => holdUntilReturn(input, s));
    await guard('settle', () => settleRental(input, s, end));
  } else if (s.eject!.code === 'DEVICE_TIMEOUT' && patched(RENTAL_PATCHES.watchBayAfterEjectTimeout)) {
    setBusinessStatus(s.phase);
    await guard('eject-watch', () => watchBayAfterEjectTimeout(input));
  }
}

/**
 * How a run that cannot go on ends: an admin resolved it by hand (`resolved`), or an operator
 * cancelled it in the Temporal UI while the power bank was out (parked for admins: nothing can be
 * undone once the rider holds it). A cancellation during the eject was undone there (refund).
 */
async function endedByHand(input: RentalInput, s: RentalState, err: unknown): Promise<void> {
  if (err instanceof AttentionResolved) {
    s.phase = 'resolved';
    await db.rentalResolvedByAdmin({ rentalId: input.rentalId, by: err.request.by, note: err.request.note, at: Date.now() });
    return;
  }
  if (isCancellation(err) && isHolding(s) && patched(RENTAL_PATCHES.parkOnFailure)) {
    await CancellationScope.nonCancellable(async () => {
      setBusinessStatus('needs_attention');
      await db.rentalNeedsAttention({
        rentalId: input.rentalId,
        reason: 'cancelled in the Temporal UI while the power bank was out',
        step: 'hold',
        at: Date.now(),
      });
    });
  }
  throw err;
}

/**
 * `rental:<id>`: one power-bank rental from the eject command to the settlement.
 *   eject (pre-payment charged first; refunded if the kiosk does not eject) → hold (Time Alert,
 *   overdue, fines up to the cap → lost) → return signal from any station → settle (fines,
 *   post-payment usage, dues, points, notifications). An eject that timed out is followed by a
 *   bounded watch of the bay, in case the latch opened after all (./eject-watch.ts). A step that
 *   cannot go on parks the rental as `needs_attention` until an admin retries or resolves it.
 * Steps live in the files beside this one; pure rules in ../rules/rules.ts; versioning in ./patches.ts.
 */
export const rentalWorkflow: RentalWorkflow = async function rentalWorkflow(input) {
  const s = initialState(input);
  const send = createDeviceCommander();
  registerRentalHandlers(input, s);
  const guard = rentalGuard(input, s);
  setBusinessStatus('ejecting');
  try {
    s.eject = await ejectPowerBank(input, s, send, guard); // the `eject` update answers from here
    await guard('notify-eject', () => notifyEjectOutcome(input, s.eject!));
    await afterEject(input, s, guard);
  } catch (err) {
    await endedByHand(input, s, err);
  }
  setBusinessStatus(s.phase);
  await condition(allHandlersFinished);
  return snapshot(input, s);
};
