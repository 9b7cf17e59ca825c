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
  /** 2026-12-03: a command not acked within a quarter of its wait is sent again (same id) until the wait ends. */
  resendUntilAcked: 'device-command-resend-until-acked',
} as const;

/**
 * How often an unanswered command goes out again: a quarter of its wait, at least a second. A
 * device on a clean session misses what the broker took while it was reconnecting (a broker
 * restart, a flaky link), and an ack can be lost the same way; the device answers a repeated id
 * with its first ack and does nothing again, so a resend is safe.
 */
const resendEvery = (timeoutMs: number) => Math.max(1_000, Math.floor(timeoutMs / 4));

/**
 * Waits for the ack up to `timeoutMs`, sending the command again every `resendEvery`. Always
 * `patched()` (not the caller's `has`): the second rental version was deployed before it. A run
 * that began before waited once for the whole time, so its history has that one timer firing at
 * the end: replayed, the first wait ends there and `patched()` is false.
 */
async function ackOrResend(received: () => boolean, timeoutMs: number, resend: () => Promise<void>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const every = resendEvery(timeoutMs);
  if (every >= timeoutMs) return condition(received, timeoutMs);
  if (await condition(received, every)) return true;
  if (!patched(COMMANDER_PATCHES.resendUntilAcked)) return received();
  for (;;) {
    if (deadline - Date.now() <= 0) return received();
    // A broker away now fails this resend at once (it waits for nothing); the wait for the ack goes on.
    await resend().catch((err: Error) => log.warn('command resend failed', { error: err.message }));
    const left = deadline - Date.now();
    if (left <= 0) return received();
    if (await condition(received, Math.min(every, left))) return true;
  }
}

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
 * Unanswered, it goes out again (same id) a few times within the wait (`ackOrResend`).
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
    const command = { ...args, id, type };
    await acts.publishDeviceCommand({ kind, sn, command, requestedBy, waitMs: timeoutMs });
    const answered = await ackOrResend(
      () => acks.has(id),
      timeoutMs,
      () => acts.publishDeviceCommand({ kind, sn, command, requestedBy, waitMs: 0 }),
    );
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
