/**
 * Topic layout of the hardware protocol (DESIGN.md, "Hardware protocol").
 *   <kind>/<sn>/cmd        backend → device   {id, type, ...}
 *   <kind>/<sn>/ack        device → backend   {id, ok, error?, ...}
 *   <kind>/<sn>/event      device → backend   {type: 'returned' | 'slot' | ..., ...}
 *   <kind>/<sn>/heartbeat  device → backend   {ts, slots: [...]}
 *   <kind>/<sn>/status     device → backend   retained {online}; the last will sets {online:false}
 */
export const DEVICE_KINDS = ['kiosk', 'charger', 'water', 'battery'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export type Channel = 'cmd' | 'ack' | 'event' | 'heartbeat' | 'status';

export const topic = (kind: DeviceKind, sn: string, channel: Channel) => `${kind}/${sn}/${channel}`;

export function parseTopic(t: string): { kind: DeviceKind; sn: string; channel: Channel } | undefined {
  const [kind, sn, channel, ...rest] = t.split('/');
  if (rest.length || !sn || !DEVICE_KINDS.includes(kind as DeviceKind)) return undefined;
  if (!['cmd', 'ack', 'event', 'heartbeat', 'status'].includes(channel)) return undefined;
  return { kind: kind as DeviceKind, sn, channel: channel as Channel };
}

/** A command id carries the workflow that waits for its ack: `<workflowId>#<n>`. */
export const commandId = (workflowId: string, n: number | string) => `${workflowId}#${n}`;
export function workflowIdOfCommand(id: string): string | undefined {
  const i = id.lastIndexOf('#');
  return i > 0 ? id.slice(0, i) : undefined;
}

export interface DeviceCommandMessage {
  id: string;
  type: string;
  [key: string]: unknown;
}

export interface DeviceAck {
  id: string;
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

export interface SlotReport {
  index: number;
  powerBankSn: string | null;
  batteryLevel: number | null;
  status?: 'occupied' | 'empty' | 'faulty';
}

export interface HeartbeatMessage {
  ts: number;
  slots: SlotReport[];
}

export interface DeviceEvent {
  type: string;
  id?: string;
  [key: string]: unknown;
}

/** How a command ended: acked by the device, refused by it, or no answer in time. */
export interface CommandOutcome {
  status: 'acked' | 'failed' | 'timeout';
  error?: string;
  ack?: Record<string, unknown>;
}

/**
 * The activities every workflow that drives hardware proxies (the stations module implements them):
 * record and publish a command at QoS 1, then record how it ended.
 */
export interface DeviceCommandActivities {
  publishDeviceCommand(input: { kind: DeviceKind; sn: string; command: DeviceCommandMessage; requestedBy?: string }): Promise<void>;
  recordCommandOutcome(input: { commandId: string; outcome: CommandOutcome }): Promise<void>;
}
