import { condition, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { commandId, type CommandOutcome, type DeviceAck, type DeviceCommandActivities, type DeviceKind } from './protocol';

/** The MQTT bridge delivers every device ack to the workflow named in the command id. */
export const deviceAckSignal = defineSignal<[DeviceAck]>('deviceAck');

const { publishDeviceCommand, recordCommandOutcome } = proxyActivities<DeviceCommandActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5, initialInterval: '200 milliseconds' },
});

/**
 * Call from inside a workflow: sends a command and waits (a durable timer) for its ack.
 * No ack in time is a `timeout` outcome the caller compensates.
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
    await publishDeviceCommand({ kind, sn, command: { ...args, id, type }, requestedBy });
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
