import { createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { DEVICE_KINDS, type DeviceKind } from './protocol';

/**
 * Who may talk on the hardware bus, and what each may touch (docs/DESIGN-NOTES.md, "Device
 * credentials"). A device's MQTT username is its topic root, `[<prefix>/]<kind>/<sn>`; its client id
 * must equal it; its password is HMAC-SHA256(MQTT_AUTH_SECRET, username), so the backend and the
 * provisioning script derive it and no table holds it. The backend's own processes have identities
 * of their own (the bridge reads device channels, the API and worker publish commands).
 */
export interface MqttCredentials {
  username: string;
  password: string;
}

export const SERVICE_USERNAMES = { bridge: 'stationflow-bridge', api: 'stationflow-api', worker: 'stationflow-worker' } as const;
export type ServiceRole = keyof typeof SERVICE_USERNAMES;

/** What a device publishes; it subscribes only to its `cmd`. */
export const DEVICE_PUBLISH_CHANNELS = ['ack', 'event', 'heartbeat', 'status'] as const;

const SEGMENT = /^[A-Za-z0-9_-]+$/;

export const deviceUsername = (kind: DeviceKind, sn: string, prefix = '') => (prefix ? `${prefix}/${kind}/${sn}` : `${kind}/${sn}`);

/** The password of an MQTT identity: HMAC-SHA256 of the username under the deployment's key (base64url). */
export function mqttPassword(secret: string, username: string): string {
  return createHmac('sha256', secret).update(`mqtt-identity:${username}`).digest('base64url');
}

export function deviceCredentials(secret: string, kind: DeviceKind, sn: string, prefix = ''): MqttCredentials {
  const username = deviceUsername(kind, sn, prefix);
  return { username, password: mqttPassword(secret, username) };
}

export function serviceCredentials(secret: string, role: ServiceRole): MqttCredentials {
  const username = SERVICE_USERNAMES[role];
  return { username, password: mqttPassword(secret, username) };
}

/** A device username (`[<prefix>/]<kind>/<sn>`, plain segments) parsed, or undefined. */
export function parseDeviceUsername(username: string): { prefix: string; kind: DeviceKind; sn: string } | undefined {
  const parts = username.split('/');
  if (parts.length < 2 || !parts.every((p) => SEGMENT.test(p))) return undefined;
  const [kind, sn] = parts.slice(-2);
  if (!DEVICE_KINDS.includes(kind as DeviceKind)) return undefined;
  return { prefix: parts.slice(0, -2).join('/'), kind: kind as DeviceKind, sn };
}

export function serviceRoleOf(username: string): ServiceRole | undefined {
  return (Object.keys(SERVICE_USERNAMES) as ServiceRole[]).find((r) => SERVICE_USERNAMES[r] === username);
}

/** Constant-time check of a presented password against the derived one. */
export function passwordMatches(secret: string, username: string, presented: string | Buffer | undefined): boolean {
  if (presented === undefined) return false;
  const want = Buffer.from(mqttPassword(secret, username));
  const got = Buffer.isBuffer(presented) ? presented : Buffer.from(presented);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** `[$share/<group>/]<filter>` → the filter. */
const unshared = (filter: string) => (filter.startsWith('$share/') ? filter.split('/').slice(2).join('/') : filter);

/** The topic (never a wildcard filter) a device with this username may publish to. */
export function devicePublishAllowed(username: string, topic: string): boolean {
  return DEVICE_PUBLISH_CHANNELS.some((c) => topic === `${username}/${c}`);
}

export const deviceSubscribeAllowed = (username: string, filter: string) => filter === `${username}/cmd`;

/** A command topic `[<prefix>/]<kind>/<sn>/cmd` without wildcards. */
function isCommandTopic(topic: string): boolean {
  const parts = topic.split('/');
  return parts.length >= 3 && parts.at(-1) === 'cmd' && parseDeviceUsername(parts.slice(0, -1).join('/')) !== undefined;
}

/** The bridge reads device channels (`[<prefix>/]+/+/<channel>`, shared or not); the API and worker publish commands. */
export function servicePublishAllowed(role: ServiceRole, topic: string): boolean {
  return role !== 'bridge' && isCommandTopic(topic);
}

export function serviceSubscribeAllowed(role: ServiceRole, filter: string): boolean {
  if (role !== 'bridge') return false;
  const parts = unshared(filter).split('/');
  if (parts.length < 3 || !(DEVICE_PUBLISH_CHANNELS as readonly string[]).includes(parts.at(-1)!)) return false;
  return parts.slice(0, -1).every((p) => p === '+' || SEGMENT.test(p));
}

/** A client id a service may use: its username, or the username and a suffix (`stationflow-bridge-<host>`). */
export const serviceClientIdAllowed = (username: string, clientId: string) => clientId === username || clientId.startsWith(`${username}-`);

/** One line of a mosquitto 2 password file (`$7$`: PBKDF2-SHA512, as mosquitto_passwd writes it). */
export function mosquittoPasswordLine(username: string, password: string, iterations = 101): string {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  return `${username}:$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** The mosquitto ACL file of a deployment under `prefix`: services by name, devices by pattern on their username. */
export function mosquittoAcl(prefix = ''): string {
  const p = prefix ? `${prefix}/` : '';
  return [
    '# Generated by stationflow (src/kernel/devices/credentials.ts). A device`s username is its topic root.',
    `user ${SERVICE_USERNAMES.bridge}`,
    ...DEVICE_PUBLISH_CHANNELS.map((c) => `topic read ${p}+/+/${c}`),
    '',
    `user ${SERVICE_USERNAMES.api}`,
    `topic write ${p}+/+/cmd`,
    '',
    `user ${SERVICE_USERNAMES.worker}`,
    `topic write ${p}+/+/cmd`,
    '',
    ...DEVICE_PUBLISH_CHANNELS.map((c) => `pattern write %u/${c}`),
    'pattern read %u/cmd',
    '',
  ].join('\n');
}
