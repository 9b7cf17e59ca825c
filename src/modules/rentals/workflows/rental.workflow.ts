import { allHandlersFinished, condition, patched } from '@temporalio/workflow';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import { createDeviceCommander } from '../../../kernel/devices/commander';
import type { RentalWorkflow } from './definitions';
import { ejectPowerBank, notifyEjectOutcome } from './eject';
import { watchBayAfterEjectTimeout } from './eject-watch';
import { registerRentalHandlers } from './handlers';
import { RENTAL_PATCHES } from './patches';
import { settleRental } from './settle';
import { initialState, snapshot } from './state';
import { holdUntilReturn } from './timeline';

/**
 * `rental:<id>`: one power-bank rental from the eject command to the settlement.
 *   eject (pre-payment charged first; refunded if the kiosk does not eject) → hold (Time Alert,
 *   overdue, fines up to the cap → lost) → return signal from any station → settle (fines,
 *   post-payment usage, dues, points, notifications). An eject that timed out is followed by a
 *   bounded watch of the bay, in case the latch opened after all (./eject-watch.ts).
 * Steps live in the files beside this one; pure rules in ../rules/rules.ts; versioning in ./patches.ts.
 */
export const rentalWorkflow: RentalWorkflow = async function rentalWorkflow(input) {
  const s = initialState(input);
  const send = createDeviceCommander();
  registerRentalHandlers(input, s);
  setBusinessStatus('ejecting');

  s.eject = await ejectPowerBank(input, s, send); // the `eject` update answers from here
  await notifyEjectOutcome(input, s.eject);
  if (s.eject.ok) {
    setBusinessStatus('active');
    const end = await holdUntilReturn(input, s);
    await settleRental(input, s, end);
  } else if (s.eject.code === 'DEVICE_TIMEOUT' && patched(RENTAL_PATCHES.watchBayAfterEjectTimeout)) {
    setBusinessStatus(s.phase);
    await watchBayAfterEjectTimeout(input);
  }
  setBusinessStatus(s.phase);
  await condition(allHandlersFinished);
  return snapshot(input, s);
};
