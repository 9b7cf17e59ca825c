import { randomInt, randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import {
  signStationRequest,
  rotateStationSecret,
  startWaterTestSandboxes,
  WATER_TEST_CREDENTIALS,
  type AtSandbox,
  type DarajaSandbox,
  type PaystackSandbox,
} from '../../src/modules/dispensing';
import { topic } from '../../src/kernel/devices/protocol';
import { connectAsDevice } from '../support/devices';
import type { StackOptions } from '../support/fixtures';
import { adminToken, startTestStack, type TestStack } from '../support/stack';

export interface WaterStack {
  stack: TestStack;
  daraja: DarajaSandbox;
  sms: AtSandbox;
  paystack: PaystackSandbox;
  close(): Promise<void>;
}

export const PAYSTACK_KEY = WATER_TEST_CREDENTIALS.paystackSecretKey;

/** A stack whose worker talks to a local Daraja and Africa's Talking; callbacks reach this file's API. */
export async function startWaterStack(env: Record<string, string> = {}, opts: StackOptions = {}): Promise<WaterStack> {
  const boxes = await startWaterTestSandboxes();
  const stack = await startTestStack({
    ...opts,
    env: { ...boxes.env, WATER_RATE_LIMIT: '100000/900', WATER_VALVE_ACK_SECONDS: '2', WATER_SMS_ATTEMPTS: '3', ...env },
  });
  boxes.connect(stack.baseUrl, stack.config.AT_DELIVERY_REPORT_TOKEN);
  const { daraja, sms, paystack } = boxes;
  return {
    stack,
    daraja,
    sms,
    paystack,
    close: async () => {
      // The sandboxes first: a late callback or delivery report must not reach an API whose Temporal connection is closing.
      await boxes.stop();
      await stack.close();
    },
  };
}

export const phone = () => `2547${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/**
 * This file's own client address (X-Forwarded-For, trusted from loopback): the water surface's
 * per-IP counter is shared by every file of the run, and other files keep the default limit.
 */
const CLIENT_IP = `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;

export async function call(stack: TestStack, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.baseUrl}/water/api${path}`, {
    method,
    headers: { 'x-forwarded-for': CLIENT_IP, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/** A registered water station and a signed call as it. */
export async function createWaterStation(stack: TestStack) {
  const id = `WS${randomUUID().slice(0, 8).toUpperCase()}`;
  await stack.orm.em
    .getConnection()
    .execute(`insert into water_stations (station_id, name, latitude, longitude) values (?, ?, -1.2864, 36.8172)`, [id, `Test ${id}`]);
  const { secret } = await rotateStationSecret(stack.orm, stack.config.WATER_STATION_SECRET, id, 0);
  const station = {
    id,
    secret,
    /** A call signed with `station.secret` (`headers` replaces the signature headers, for replays). */
    call: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      const raw = body === undefined ? '' : JSON.stringify(body);
      return call(stack, method, path, body, headers ?? signStationRequest(station.secret, id, method, `/water/api${path}`, raw));
    },
  };
  return station;
}

/**
 * The station's MQTT link: it acks `open_valve` commands (unless `ackValve` is false) and reports pulses on water/<id>/event.
 * `commands` holds each command once, as a station acts on it once; `deliveries` counts every delivery (an unacked one is sent again).
 */
export async function stationLink(
  stack: TestStack,
  id: string,
  opts: { ackValve?: boolean } = {},
): Promise<{
  report: (ref: string, pulses: number, final?: boolean) => Promise<void>;
  heartbeat: (tankLevelPercent: number) => Promise<void>;
  commands: Record<string, any>[];
  deliveries: () => number;
  close: () => Promise<void>;
}> {
  const client: MqttClient = await connectAsDevice(stack, id, { kind: 'water' });
  const prefix = stack.config.MQTT_TOPIC_PREFIX;
  const commands: Record<string, any>[] = [];
  let deliveries = 0;
  client.on('message', (_t, payload) => {
    const cmd = JSON.parse(payload.toString());
    deliveries++;
    if (!commands.some((c) => c.id === cmd.id)) commands.push(cmd);
    if (opts.ackValve !== false) void client.publishAsync(topic('water', id, 'ack', prefix), JSON.stringify({ id: cmd.id, ok: true }), { qos: 1 });
  });
  await client.subscribeAsync(topic('water', id, 'cmd', prefix), { qos: 1 });
  return {
    commands,
    deliveries: () => deliveries,
    report: async (ref, pulses, final = false) => {
      await client.publishAsync(
        topic('water', id, 'event', stack.config.MQTT_TOPIC_PREFIX),
        JSON.stringify({ type: 'dispensed', transactionReference: ref, pulses, final }),
        { qos: 1 },
      );
    },
    heartbeat: async (tankLevelPercent) => {
      await client.publishAsync(topic('water', id, 'heartbeat', stack.config.MQTT_TOPIC_PREFIX), JSON.stringify({ tankLevelPercent, ts: Date.now() }), {
        qos: 1,
      });
    },
    close: () => client.endAsync(),
  };
}

/** The 6-digit code in the last SMS to a phone. */
export const codeIn = (sms: AtSandbox, to: string) => /is (\d{6})/.exec(sms.lastTo(to)?.message ?? '')?.[1];

/** The admin attention desk (the ChargeGhar admin API, where water runs park too): its parked runs, and an action on one. */
export async function attentionDesk(stack: TestStack) {
  const headers = { authorization: `Bearer ${await adminToken(stack)}`, 'content-type': 'application/json' };
  return {
    runs: async () => ((await (await fetch(`${stack.baseUrl}/api/admin/attention`, { headers })).json()) as any).data.runs as Record<string, unknown>[],
    act: async (kind: string, id: string, action: 'retry' | 'resolve') =>
      (await fetch(`${stack.baseUrl}/api/admin/attention/${kind}/${id}`, { method: 'POST', headers, body: JSON.stringify({ action }) })).status,
  };
}
