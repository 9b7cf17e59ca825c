import { createDeviceCommander } from '../../../kernel/devices/commander';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import type { StationCommandWorkflow } from './definitions';

/** An admin's remote command (reboot, eject, lock, unlock): one run per command, visible in the UI. */
export const stationCommandWorkflow: StationCommandWorkflow = async function stationCommandWorkflow(input) {
  const send = createDeviceCommander();
  const outcome = await send(input.kind, input.sn, input.type, input.args, input.timeoutMs, input.requestedBy);
  setBusinessStatus(outcome.status);
  return outcome;
};
