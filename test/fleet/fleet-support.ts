import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { MqttClient } from 'mqtt';
import { startMsg91Sandbox, type Msg91Sandbox } from '../../src/modules/identity/delivery/sandboxes';
import { startNbfcSandbox, startRazorpaySandbox } from '../../src/modules/loans';
import { topic } from '../../src/kernel/devices/protocol';
import { connectAsDevice } from '../support/devices';
import { testRandom } from '../support/random';
import type { StackOptions } from '../support/fixtures';
import { eventually, startTestStack, type TestStack } from '../support/stack';

/** A random Indian mobile, E.164. */
export const indianPhone = () => `+919${testRandom().digits(9)}`;

export interface FleetClient {
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
}

export const fleetClient = (stack: TestStack): FleetClient => ({
  async call(method, path, body, token) {
    const res = await fetch(`${stack.baseUrl}/fleet/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  },
});

/** A provisioned fleet member (dealers, admins and technicians are created by an admin or the demo data). */
export async function addMember(stack: TestStack, userType: 'dealer' | 'admin' | 'technician', extra: { location?: string; skills?: string[] } = {}) {
  const phone = indianPhone();
  const [row] = await stack.orm.em
    .getConnection()
    .execute(`insert into fleet_members (phone, user_type, name, location, skills) values (?, ?, ?, ?, ?::text[]) returning id`, [
      phone,
      userType,
      `${userType} ${phone.slice(-4)}`,
      extra.location ?? null,
      `{${(extra.skills ?? []).join(',')}}`,
    ]);
  return { id: row.id as string, phone };
}

/** The whole login: OTP by SMS (read from the MSG91 sandbox's inbox), then the JWT. */
export async function loginAs(stack: TestStack, sms: Msg91Sandbox, phone: string, userType: string): Promise<string> {
  const api = fleetClient(stack);
  const before = sms.messages(phone).length;
  const sent = await api.call('POST', '/auth/login', { phone, userType });
  if (sent.status !== 200) throw new Error(`login ${sent.status} ${JSON.stringify(sent.body)}`);
  const text = await eventually(async () => sms.messages(phone)[before]?.text, 15_000);
  const otp = /\b(\d{6})\b/.exec(text)![1];
  const verified = await api.call('POST', '/auth/verify-otp', { phone, otp });
  if (verified.status !== 200) throw new Error(`verify ${verified.status} ${JSON.stringify(verified.body)}`);
  return verified.body.token;
}

/** MSG91, the NBFC and Razorpay of one test file, on free ports; `connect` points their webhooks at the stack. */
export async function startFleetSandboxes() {
  const [sms, nbfc, razorpay] = await Promise.all([startMsg91Sandbox(), startNbfcSandbox(), startRazorpaySandbox()]);
  return {
    sms,
    nbfc,
    razorpay,
    env: { MSG91_BASE_URL: sms.url, NBFC_BASE_URL: nbfc.url, RAZORPAY_BASE_URL: razorpay.url },
    connect(stack: TestStack) {
      nbfc.setWebhookUrl(`${stack.baseUrl}/fleet/api/nbfc/webhook-status`);
      razorpay.setWebhookUrl(`${stack.baseUrl}/fleet/api/payments/razorpay/webhook`);
    },
    stop: async () => {
      await Promise.all([sms.stop(), nbfc.stop(), razorpay.stop()]);
    },
  };
}

/** The fleet sandboxes, a test stack whose API they call back, and a logged-in dealer and admin (each file closes stack and boxes). */
export async function startFleetStack(opts: StackOptions = {}) {
  const boxes = await startFleetSandboxes();
  const stack = await startTestStack({ ...opts, env: { ...boxes.env, ...opts.env } });
  boxes.connect(stack);
  const [d, a] = [await addMember(stack, 'dealer'), await addMember(stack, 'admin')];
  const dealer = await loginAs(stack, boxes.sms, d.phone, 'dealer');
  const admin = await loginAs(stack, boxes.sms, a.phone, 'admin');
  return { boxes, stack, api: fleetClient(stack), dealer, admin };
}

/** A dealer's consumer with verified KYC and a battery of the dealer (assigned), ready for a loan. */
export async function consumerWithBattery(api: FleetClient, dealer: string, serial: string) {
  const consumer = await api.call('POST', '/consumers', { name: `Consumer ${serial}`, phone: indianPhone() }, dealer);
  await api.call('PUT', `/consumers/${consumer.body.id}/kyc`, { kyc_status: 'verified', pan: 'ABCDE1234F', aadhaar: '123456789012' }, dealer);
  const battery = await api.call('POST', '/batteries', { serial_number: serial, health_score: 100 }, dealer);
  await api.call('PUT', `/batteries/${serial}/assign`, { consumer_id: consumer.body.id }, dealer);
  return { consumerId: consumer.body.id as number, batteryId: battery.body.id as number };
}

/**
 * A simulated battery on the bus: heartbeats telemetry and acks every `set_status` command
 * (unless told to stay silent); `commands` lists what it received.
 */
export async function simulatedBattery(stack: TestStack, serial: string, opts: { silent?: boolean } = {}) {
  const prefix = stack.config.MQTT_TOPIC_PREFIX;
  const client: MqttClient = await connectAsDevice(stack, serial, { kind: 'battery' });
  const commands: Record<string, unknown>[] = [];
  client.on('message', (_t, payload) => {
    const cmd = JSON.parse(payload.toString());
    commands.push(cmd);
    if (!opts.silent)
      void client.publishAsync(topic('battery', serial, 'ack', prefix), JSON.stringify({ id: cmd.id, ok: true, status: cmd.status }), { qos: 1 });
  });
  await client.subscribeAsync(topic('battery', serial, 'cmd', prefix), { qos: 1 });
  await client.publishAsync(topic('battery', serial, 'status', prefix), JSON.stringify({ online: true }), { qos: 1, retain: true });
  return {
    commands,
    heartbeat: (t: { soc: number; health_score: number; temperature: number; gps: { lat: number; lng: number } }) =>
      client.publishAsync(topic('battery', serial, 'heartbeat', prefix), JSON.stringify({ ts: Date.now(), ...t }), { qos: 1 }),
    close: () => client.endAsync(),
  };
}

/**
 * With RECORD_HISTORIES=1, saves a closed run's history (any server, the time-skipping one too)
 * under test/workflows/histories for the replay test, and lists it in manifest.json.
 */
export async function saveHistory(stack: TestStack, workflowId: string, runId: string | undefined, name: string, recorded: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const dir = path.join(__dirname, '..', 'workflows', 'histories');
  const history = await stack.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`);
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  manifest[`${name}.json`] = { workflowId, recorded: `${new Date().toISOString().slice(0, 10)} ${recorded}` };
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
}
