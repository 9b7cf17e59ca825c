import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import mqtt, { type MqttClient } from 'mqtt';
import { hostname } from 'node:os';
import { logger } from '../../kernel/logger';
import type { MqttCredentials } from '../../kernel/devices/credentials';
import { deviceAckSignal } from '../../kernel/devices/commander';
import {
  channelFilter,
  parseTopic,
  workflowIdOfCommand,
  type DeviceAck,
  type DeviceEvent,
  type DeviceKind,
  type HeartbeatMessage,
} from '../../kernel/devices/protocol';
import { handleReturnedEvent, settleReturnsSeenInHeartbeat } from '../../modules/rentals';
import { handleDispensedEvent, recordWaterHeartbeat } from '../../modules/dispensing';
import { batteryPresence, type BatteryReconcileOptions } from '../../modules/loans';
import { stationAnalytics, stationPresence, type StationPresence } from '../../modules/stations';
import { executor } from '../../kernel/sql';
import { deliverOnce, PARK_AFTER, type ParkAfter } from './delivery';
import { bridgeFailures, deviceAcks, deviceMessages, mqttConnected, scrapedGauge } from '../../kernel/observability/metrics';

export interface BridgeDeps {
  mqttUrl: string;
  orm: MikroORM;
  temporal: Client;
  /** A station that sent nothing for this long is marked offline even without a last will. */
  heartbeatTimeoutMs?: number;
  /** Must start with `stationflow-bridge` when the broker checks identities. */
  clientId?: string;
  /** The bridge's MQTT identity (it may only read device channels). */
  credentials?: MqttCredentials;
  /**
   * Several bridges share the device traffic through `$share/<group>/...` subscriptions (MQTT 5 /
   * mosquitto; aedes has none): each ack, event and heartbeat goes to one of them. Each bridge
   * still reads every `status` itself, because retained messages never reach shared subscriptions.
   */
  shareGroup?: string;
  /** MQTT_TOPIC_PREFIX: the bridge reads only `<prefix>/<kind>/<sn>/...` ('' for unprefixed topics). */
  topicPrefix?: string;
  /**
   * Which stations the silence sweep may mark offline: `all` (default) every station in the
   * database; `heard` only those this bridge has had a message from since it started, for a
   * database shared with devices under other prefixes (the test files of one run).
   */
  sweepScope?: 'all' | 'heard';
  /** Fleet batteries whose heartbeat contradicts their commanded status are sent it again (unset: not reconciled). */
  batteryReconcile?: BatteryReconcileOptions;
  /** When a message failing with an unknown error is parked (acknowledged, logged, counted): default 8 tries and 30 s. */
  parkAfter?: ParkAfter;
}

/** The topics the bridge reads (under the topic prefix, if any), `$share`d where a group is given. */
export function bridgeSubscriptions(shareGroup?: string, topicPrefix = ''): string[] {
  const shared = (['ack', 'event', 'heartbeat'] as const).map((c) => channelFilter(c, topicPrefix)).map((t) => (shareGroup ? `$share/${shareGroup}/${t}` : t));
  return [...shared, channelFilter('status', topicPrefix)];
}

type ReadMessage = NonNullable<ReturnType<typeof parseTopic>> & { body: Record<string, unknown> };

/** Handlers for device events by type; later issues add `returned` (rentals) and others. */
export type EventHandler = (sn: string, event: DeviceEvent, deps: BridgeDeps, kind: DeviceKind) => Promise<void>;

/**
 * Turns what kiosks publish into workflow signals and database state: acks → `deviceAck` signal to
 * the workflow in the command id; status and heartbeats → the stations module's presence (online,
 * last seen, bays); events → the handler registered for their type (`slot`: stations; `returned`:
 * rentals).
 */
export class MqttBridge {
  private client?: MqttClient;
  private sweeper?: NodeJS.Timeout;
  /** Set by stop(): a message still failing is then left unacknowledged instead of tried again. */
  private stopping = false;
  private wakeOnStop?: () => void;
  private readonly handlers = new Map<string, EventHandler>();
  private readonly counts: Record<string, number> = {};
  /** Stations this bridge had a message from (the sweep's scope when `sweepScope` is `heard`). */
  private readonly heard = new Set<string>();
  private readonly presence: StationPresence;
  /** Batteries (the fleet product) keep their presence and telemetry in the loans module. */
  private readonly batteries: ReturnType<typeof batteryPresence>;

  constructor(private readonly deps: BridgeDeps) {
    this.presence = stationPresence(deps.orm);
    this.batteries = batteryPresence(deps.orm, deps.temporal, deps.batteryReconcile);
    this.on('slot', (sn, e) => this.presence.recordSlotEvent(sn, e));
    this.on('returned', (sn, e) => handleReturnedEvent(sn, e, deps));
    const counts = () => stationAnalytics(executor(deps.orm)).counts();
    scrapedGauge('stationflow_stations_online', 'Stations (kiosks) online now, from the stations table', async () => (await counts()).online);
    this.on('dispensed', (sn, e, _d, kind) => (kind === 'water' ? handleDispensedEvent(sn, e as unknown as Record<string, unknown>, deps) : Promise.resolve()));
  }

  on(type: string, handler: EventHandler): this {
    this.handlers.set(type, handler);
    return this;
  }

  async start(): Promise<void> {
    this.stopping = false;
    const stopped = new Promise<void>((resolve) => (this.wakeOnStop = resolve));
    const client = mqtt.connect(this.deps.mqttUrl, {
      clientId: this.deps.clientId ?? `stationflow-bridge-${hostname()}`.slice(0, 64),
      ...this.deps.credentials,
      // A persistent session: the broker keeps QoS 1 messages that arrive while the bridge restarts,
      // and sends again those it sent but never got the acknowledgement of.
      clean: false,
      reconnectPeriod: 1000,
      // Subscriptions are renewed on each reconnect by renewSubscriptions(), not by mqtt.js.
      resubscribe: false,
    });
    this.client = client;
    // mqtt.js acknowledges a QoS 1 message (PUBACK) only once handleMessage calls back, and reads
    // the next one only then: a message is acknowledged after it was handled, one at a time, in
    // the order the broker sent them. A bridge killed before that leaves it with the broker. Set
    // before the connection is up: the messages the session kept come right after the CONNACK.
    client.handleMessage = (packet, callback) => {
      const t = packet.cmd === 'publish' ? packet.topic : '';
      const payload = packet.cmd === 'publish' ? Buffer.from(packet.payload) : Buffer.alloc(0);
      void this.deliver(t, payload, stopped).then((ack) => callback(ack ? undefined : new Error('bridge stopping: left unacknowledged')));
    };
    await new Promise<void>((resolve, reject) => {
      const settle = (err?: Error) => {
        client.off('connect', onConnect).off('error', onError);
        if (err) client.end(true);
        return err ? reject(err) : resolve();
      };
      const onConnect = () => settle();
      const onError = (err: Error) => settle(err);
      client.on('connect', onConnect).on('error', onError);
    });
    client.on('error', (err) => logger.warn({ err: err.message }, 'bridge mqtt error'));
    mqttConnected.set({ client: 'bridge' }, 1);
    this.client.on('connect', (connack) => {
      mqttConnected.set({ client: 'bridge' }, 1);
      this.renewSubscriptions(client, connack.sessionPresent).catch((err: Error) => logger.warn({ err: err.message }, 'bridge could not subscribe again'));
    });
    this.client.on('offline', () => mqttConnected.set({ client: 'bridge' }, 0));
    await this.client.subscribeAsync(bridgeSubscriptions(this.deps.shareGroup, this.deps.topicPrefix), { qos: 1 });
    const timeout = this.deps.heartbeatTimeoutMs ?? 90_000;
    this.sweeper = setInterval(
      () => {
        void this.markSilentStationsOffline(timeout);
      },
      Math.min(timeout, 15_000),
    );
  }

  /**
   * After a reconnect (the broker restarted or the connection dropped): subscribes again, whatever
   * the broker says of the session. A broker that kept the session (persistence) keeps its plain
   * subscriptions, but mosquitto 2.0.11 restores a `$share` subscription from its persistence file
   * without delivering anything to it, even after a new SUBSCRIBE (seen here: after a restart of the
   * broker no device ack, event or heartbeat reached either bridge, every station went offline);
   * an UNSUBSCRIBE first makes the new one work. A broker that lost the session needs them all again.
   */
  private async renewSubscriptions(client: MqttClient, sessionPresent: boolean): Promise<void> {
    const all = bridgeSubscriptions(this.deps.shareGroup, this.deps.topicPrefix);
    const shared = all.filter((t) => t.startsWith('$share/'));
    if (sessionPresent && shared.length) await client.unsubscribeAsync(shared);
    await client.subscribeAsync(all, { qos: 1 });
  }

  /**
   * Handles one message until it is done: true when it may be acknowledged (handled, or dropped as
   * permanently bad: logged and counted), false when the bridge stopped before it was handled.
   */
  private async deliver(t: string, payload: Buffer, stopped: Promise<void>): Promise<boolean> {
    const message = this.read(t, payload);
    if (!message) return true;
    const { channel } = message;
    return deliverOnce(
      () => this.dispatch(message),
      {
        stopping: () => this.stopping,
        onRetry: (err, attempt, delayMs) => {
          bridgeFailures.inc({ channel, outcome: 'retried' });
          // The first failure and then every tenth: an outage of minutes is not a flood of lines.
          if (attempt === 1 || attempt % 10 === 0)
            logger.warn({ err, topic: t, attempt, delayMs }, 'bridge could not handle a message yet: not acknowledged, trying again');
        },
        onDropped: (err) => {
          bridgeFailures.inc({ channel, outcome: 'dropped' });
          logger.error({ err, topic: t, payload: payload.toString().slice(0, 500) }, 'bridge dropped a message it can never handle: acknowledged');
        },
        onParked: (err, attempts, ageMs) => {
          bridgeFailures.inc({ channel, outcome: 'parked' });
          logger.error(
            { err, topic: t, attempts, ageMs, payload: payload.toString().slice(0, 2000) },
            'bridge parked a message that kept failing with an unknown error: acknowledged so the next ones flow (payload logged for a replay by hand)',
          );
        },
      },
      (ms) => Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms).unref()), stopped]),
      this.deps.parkAfter ?? PARK_AFTER,
    );
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.stopping = true;
    this.wakeOnStop?.();
    await this.client?.endAsync();
  }

  /** Device messages this bridge handled, by channel (ack, event, heartbeat, status), since start. */
  stats(): Readonly<Record<string, number>> {
    return { ...this.counts };
  }

  /** Reads and handles one device message (what the MQTT subscription does for each, with retries). */
  async handle(t: string, payload: Buffer): Promise<void> {
    const message = this.read(t, payload);
    if (message) await this.dispatch(message);
  }

  /** The topic's device and channel and the JSON body, counted once; undefined for what is not a device message. */
  private read(t: string, payload: Buffer): ReadMessage | undefined {
    const parsed = parseTopic(t, this.deps.topicPrefix);
    if (!parsed) return undefined;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(payload.toString());
    } catch {
      logger.warn({ topic: t }, 'ignoring non-JSON device message');
      return undefined;
    }
    this.counts[parsed.channel] = (this.counts[parsed.channel] ?? 0) + 1;
    deviceMessages.inc({ kind: parsed.kind, channel: parsed.channel });
    this.heard.add(parsed.sn);
    return { ...parsed, body };
  }

  private async dispatch({ kind, sn, channel, body }: ReadMessage): Promise<void> {
    if (kind === 'battery' && channel !== 'ack') return this.batteries.handle(sn, channel, body);
    switch (channel) {
      case 'ack':
        return this.forwardAck(kind, sn, body as DeviceAck);
      case 'status':
        return this.presence.setOnline(sn, body.online === true);
      case 'heartbeat':
        // Water stations keep their own table (tank level); kiosks go to stations' presence.
        if (kind === 'water') return recordWaterHeartbeat(this.deps.orm, sn, body);
        return settleReturnsSeenInHeartbeat(sn, await this.presence.recordHeartbeat(sn, body as unknown as HeartbeatMessage), this.deps);
      case 'event': {
        await this.presence.setOnline(sn, true);
        const handler = this.handlers.get(String(body.type));
        if (handler) await handler(sn, body as DeviceEvent, this.deps, kind);
        else logger.info({ sn, type: body.type }, 'device event with no handler');
        return;
      }
      default:
    }
  }

  /** The ack goes to the workflow in its command id, stamped with the device that sent it (the topic's, never the body's). */
  private async forwardAck(kind: DeviceKind, sn: string, body: DeviceAck) {
    const workflowId = typeof body.id === 'string' ? workflowIdOfCommand(body.id) : undefined;
    if (!workflowId) {
      deviceAcks.inc({ result: 'invalid' });
      return logger.warn({ ack: body, sn }, 'ack without a workflow command id');
    }
    const ack: DeviceAck = { ...body, from: { kind, sn } };
    try {
      await this.deps.temporal.workflow.getHandle(workflowId).signal(deviceAckSignal, ack);
      deviceAcks.inc({ result: 'delivered' });
    } catch (err) {
      // A late ack for a finished (timed-out) command: nothing waits for it any more.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      deviceAcks.inc({ result: 'late' });
      logger.info({ workflowId }, 'ack for a closed workflow');
    }
  }

  /** Marks stations silent for `timeoutMs` offline: every station, or (`sweepScope: 'heard'`) only those this bridge heard from. */
  async markSilentStationsOffline(timeoutMs: number): Promise<void> {
    if (this.deps.sweepScope === 'heard') {
      if (this.heard.size) await this.presence.markSilentStationsOffline(timeoutMs, [...this.heard]);
      return;
    }
    await this.presence.markSilentStationsOffline(timeoutMs);
  }
}
