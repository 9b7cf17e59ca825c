import { allHandlersFinished, condition } from '@temporalio/workflow';
import { createDeviceCommander } from '../../../kernel/devices/commander';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import type { RentalWorkflow } from './definitions';
import { ejectPowerBank, notifyEjectOutcome } from './eject';
import { registerRentalHandlers } from './handlers';
import { afterEject, endedByHand, rentalGuard } from './run';
import { localDeviceActivities, RENTAL_V2 } from './runtime';
import { settleRentalInOne } from './settle';
import { initialState, snapshot } from './state';

/**
 * `rental:<id>`, second version (new rentals since 2026-12-02): the first version's steps and
 * guarantees with every one of its patches in, for a fraction of the Temporal server's work
 * (a plain rental: 3 workflow tasks and under 30 history events instead of 11-13 and 70-90):
 *   - the start API starts it with update-with-start (the `eject` update rides on the start) and
 *     sets BusinessStatus `ejecting` as a start search attribute;
 *   - every database and ledger step is a local activity (a marker, no task of its own), falling
 *     back to an ordinary activity when it keeps failing for a reason that may pass (./runtime.ts);
 *   - the eject command's publish and outcome record are local activities too;
 *   - the settlement is one activity (charges, points, social progress, row, notifications, each
 *     under its own key);
 *   - one timer at a time: the ack timeout, then the timeline's next deadline, re-armed.
 * A new workflow type rather than patches: the first version's runs keep replaying on their own
 * code, and this one carries no patch markers (docs/ARCHITECTURE.md, "Rental workflow versions").
 */
export const rentalV2Workflow: RentalWorkflow = async function rentalV2Workflow(input) {
  const rt = RENTAL_V2;
  const s = initialState(input);
  const send = createDeviceCommander({ activities: localDeviceActivities, has: rt.has });
  registerRentalHandlers(input, s, rt);
  const guard = rentalGuard(input, s, rt);
  try {
    s.eject = await ejectPowerBank(input, s, send, guard, rt); // the `eject` update answers from here
    await guard('notify-eject', () => notifyEjectOutcome(input, s.eject!, rt));
    await afterEject(input, s, guard, rt, (end) => settleRentalInOne(input, s, end, rt));
  } catch (err) {
    await endedByHand(input, s, err, rt);
  }
  setBusinessStatus(s.phase);
  await condition(allHandlersFinished);
  return snapshot(input, s);
};
