import type { CommandOutcome, DeviceKind } from '../../../kernel/devices/protocol';

/** The remote-command workflow's contract, for the service that runs it. */

export const stationCommandWorkflowId = (sn: string, uuid: string) => `station-command:${sn}:${uuid}`;

export interface StationCommandInput {
  kind: DeviceKind;
  sn: string;
  type: string;
  args: Record<string, unknown>;
  timeoutMs: number;
  requestedBy?: string;
}

/** An admin's remote command (reboot, eject, lock, unlock): one run per command, visible in the UI. */
export type StationCommandWorkflow = (input: StationCommandInput) => Promise<CommandOutcome>;
