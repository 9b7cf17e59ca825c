import { condition, defineSignal, log, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { commandId, type CommandOutcome, type DeviceAck, type DeviceCommandActivities, type DeviceKind } from './protocol';

/** The MQTT bridge delivers every device ack to the workflow named in the command id. */
export const deviceAckSignal = defineSignal<[DeviceAck]>('deviceAck');

const { recordCommandOutcome } = proxyActivities<DeviceCommandActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '1 minute' },
});

/** Publishing may wait for a broker that is away, for as long as the command's ack may take. */
const publisher = (waitMs: number) =>
  proxyActivities<DeviceCommandActivities>({
    startToCloseTimeout: waitMs + 10_000,
    retry: { maximumAttempts: 5, initialInterval: '200 milliseconds', nonRetryableErrorTypes: ['BrokerUnreachable'] },
  }).publishDeviceCommand;

/** Versioning of the commander (it runs inside every workflow that drives hardware). */
export const COMMANDER_PATCHES = {
  /** 2026-12-02: an ack counts only from the device the command went to (the bridge stamps `from` from the topic). */
  ackFromCommandedDevice: 'device-ack-from-commanded-device',
} as const;

type Target = { kind: DeviceKind; sn: string };

/** An ack another device sent for this command (a device may only publish on its own topics, so `from` is who it really is). */
function fromAnotherDevice(ack: DeviceAck, target: Target | undefined, has: (patchId: string) => boolean): boolean {
  if (!target || !ack.from || (ack.from.kind === target.kind && ack.from.sn === target.sn)) return false;
  return has(COMMANDER_PATCHES.ackFromCommandedDevice);
}

type CommandActivities = Pick<DeviceCommandActivities, 'publishDeviceCommand' | 'recordCommandOutcome'>;

/**
 * How a workflow runs the commander: by default the publish and the outcome record are ordinary
 * activities and `patched()` guards its changes; a workflow version that runs them as local
 * activities and has every change passes its own (`has: () => true` records no patch marker).
 */
export interface CommanderOptions {
  activities?: (waitMs: number) => CommandActivities;
  has?: (patchId: string) => boolean;
}

const ordinary = (waitMs: number): CommandActivities => ({ publishDeviceCommand: publisher(waitMs), recordCommandOutcome });

/**
 * Call from inside a workflow: sends a command and waits (a durable timer) for its ack, from the
 * device it was sent to only: an ack for it from another device is logged and changes nothing.
 * No ack in time is a `timeout` outcome the caller compensates; a broker that stays away for as
 * long fails the publish (`BrokerUnreachable`), which the caller compensates too.
 */
export function createDeviceCommander(opts: CommanderOptions = {}) {
  const activities = opts.activities ?? ordinary;
  const has = opts.has ?? patched;
  const acks = new Map<string, DeviceAck>();
  const targets = new Map<string, Target>();
  let seq = 0;
  const refuse = (ack: DeviceAck) => log.warn('ack from another device ignored', { commandId: ack.id, from: ack.from, to: targets.get(ack.id) });
  setHandler(deviceAckSignal, (ack) => {
    if (fromAnotherDevice(ack, targets.get(ack.id), has)) return refuse(ack);
    acks.set(ack.id, ack);
  });
  return async function send(
    kind: DeviceKind,
    sn: string,
    type: string,
    args: Record<string, unknown>,
    timeoutMs: number,
    requestedBy?: string,
  ): Promise<CommandOutcome> {
    const id = commandId(workflowInfo().workflowId, ++seq);
    targets.set(id, { kind, sn });
    const early = acks.get(id); // an ack that came before its command was even sent
    if (early && fromAnotherDevice(early, targets.get(id), has)) {
      refuse(early);
      acks.delete(id);
    }
    const acts = activities(timeoutMs);
    await acts.publishDeviceCommand({ kind, sn, command: { ...args, id, type }, requestedBy, waitMs: timeoutMs });
    const answered = await condition(() => acks.has(id), timeoutMs);
    const ack = acks.get(id);
    const outcome: CommandOutcome =
      !answered || !ack
        ? { status: 'timeout', error: `no ack from ${sn} within ${timeoutMs} ms` }
        : ack.ok
          ? { status: 'acked', ack }
          : { status: 'failed', error: ack.error ?? 'device reported failure', ack };
    await acts.recordCommandOutcome({ commandId: id, outcome });
    return outcome;
  };
}
