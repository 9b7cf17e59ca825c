import { condition, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
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

/**
 * Call from inside a workflow: sends a command and waits (a durable timer) for its ack.
 * No ack in time is a `timeout` outcome the caller compensates; a broker that stays away for as
 * long fails the publish (`BrokerUnreachable`), which the caller compensates too.
 */
export function createDeviceCommander() {
  const acks = new Map<string, DeviceAck>();
  let seq = 0;
  setHandler(deviceAckSignal, (ack) => {
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
    await publisher(timeoutMs)({ kind, sn, command: { ...args, id, type }, requestedBy, waitMs: timeoutMs });
    const answered = await condition(() => acks.has(id), timeoutMs);
    const ack = acks.get(id);
    const outcome: CommandOutcome =
      !answered || !ack
        ? { status: 'timeout', error: `no ack from ${sn} within ${timeoutMs} ms` }
        : ack.ok
          ? { status: 'acked', ack }
          : { status: 'failed', error: ack.error ?? 'device reported failure', ack };
    await recordCommandOutcome({ commandId: id, outcome });
    return outcome;
  };
}
