import { allHandlersFinished, condition } from '@temporalio/workflow';
import { createDeviceCommander } from '../../../kernel/devices/commander';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import type { RentalWorkflow } from './definitions';
import { ejectPowerBank, notifyEjectOutcome } from './eject';
import { registerRentalHandlers } from './handlers';
import { afterEject, endedByHand, rentalGuard } from './run';
import { RENTAL_V1 } from './runtime';
import { settleRental } from './settle';
import { initialState, snapshot } from './state';

/**
 * `rental:<id>`, first version: one power-bank rental from the eject command to the settlement.
 *   eject (pre-payment charged first; refunded if the kiosk does not eject) → hold (Time Alert,
 *   overdue, fines up to the cap → lost) → return signal from any station → settle (fines,
 *   post-payment usage, dues, points, notifications). An eject that timed out is followed by a
 *   bounded watch of the bay, in case the latch opened after all (./eject-watch.ts). A step that
 *   cannot go on parks the rental as `needs_attention` until an admin retries or resolves it.
 * New rentals start `rentalV2Workflow` (./rental-v2.workflow.ts: the same steps as local
 * activities, the settlement in one); this one stays for the runs started before it and replays
 * their histories. Steps live in the files beside this one; pure rules in ../rules/rules.ts;
 * versioning in ./patches.ts.
 */
export const rentalWorkflow: RentalWorkflow = async function rentalWorkflow(input) {
  const rt = RENTAL_V1;
  const s = initialState(input);
  const send = createDeviceCommander();
  registerRentalHandlers(input, s, rt);
  const guard = rentalGuard(input, s, rt);
  setBusinessStatus('ejecting');
  try {
    s.eject = await ejectPowerBank(input, s, send, guard, rt); // the `eject` update answers from here
    await guard('notify-eject', () => notifyEjectOutcome(input, s.eject!, rt));
    await afterEject(input, s, guard, rt, (end) => settleRental(input, s, end));
  } catch (err) {
    await endedByHand(input, s, err, rt);
  }
  setBusinessStatus(s.phase);
  await condition(allHandlersFinished);
  return snapshot(input, s);
};
