import type { CommandOutcome } from '../activities/device.activities';
import type { DeviceKind } from '../../../kernel/devices/protocol';
import { createDeviceCommander } from '../../../kernel/devices/commander';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';

export interface StationCommandInput {
  kind: DeviceKind;
  sn: string;
  type: string;
  args: Record<string, unknown>;
  timeoutMs: number;
  requestedBy?: string;
}

/** An admin's remote command (reboot, eject, lock, unlock): one run per command, visible in the UI. */
export async function stationCommandWorkflow(input: StationCommandInput): Promise<CommandOutcome> {
  const send = createDeviceCommander();
  const outcome = await send(input.kind, input.sn, input.type, input.args, input.timeoutMs, input.requestedBy);
  setBusinessStatus(outcome.status);
  return outcome;
}
