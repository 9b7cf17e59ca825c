/**
 * Topic layout of the hardware protocol (DESIGN.md, "Hardware protocol"), each under the
 * deployment's topic prefix when one is set (`<prefix>/<kind>/<sn>/<channel>`).
 *   <kind>/<sn>/cmd        backend → device   {id, type, ...}
 *   <kind>/<sn>/ack        device → backend   {id, ok, error?, ...}
 *   <kind>/<sn>/event      device → backend   {type: 'returned' | 'slot' | ..., ...}
 *   <kind>/<sn>/heartbeat  device → backend   {ts, slots: [...]}
 *   <kind>/<sn>/status     device → backend   retained {online}; the last will sets {online:false}
 */
export const DEVICE_KINDS = ['kiosk', 'charger', 'water', 'battery'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export type Channel = 'cmd' | 'ack' | 'event' | 'heartbeat' | 'status';

/**
 * Every topic may sit under a prefix (MQTT_TOPIC_PREFIX, e.g. `site-a` → `site-a/kiosk/<sn>/cmd`),
 * so deployments or test runs that share one broker see only their own devices. '' is no prefix.
 */
const underPrefix = (prefix: string, t: string) => (prefix ? `${prefix}/${t}` : t);

export const topic = (kind: DeviceKind, sn: string, channel: Channel, prefix = '') => underPrefix(prefix, `${kind}/${sn}/${channel}`);

/** The filter for one channel of every device under the prefix: `[<prefix>/]+/+/<channel>`. */
export const channelFilter = (channel: Channel, prefix = '') => underPrefix(prefix, `+/+/${channel}`);

/** A device topic under `prefix` (only there: another prefix's topic, or an unprefixed one when a prefix is set, is not ours). */
export function parseTopic(t: string, prefix = ''): { kind: DeviceKind; sn: string; channel: Channel } | undefined {
  if (prefix && !t.startsWith(`${prefix}/`)) return undefined;
  const [kind, sn, channel, ...rest] = (prefix ? t.slice(prefix.length + 1) : t).split('/');
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
  /** The device that sent it, from the topic: set by the MQTT bridge (over anything the body said); absent in acks signalled before it was. */
  from?: { kind: DeviceKind; sn: string };
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
  /** `waitMs`: how long a broker that is away may take to come back before the command fails (`BrokerUnreachable`, final). */
  publishDeviceCommand(input: { kind: DeviceKind; sn: string; command: DeviceCommandMessage; requestedBy?: string; waitMs?: number }): Promise<void>;
  recordCommandOutcome(input: { commandId: string; outcome: CommandOutcome }): Promise<void>;
}
