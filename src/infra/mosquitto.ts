import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './ports';
import type { BrokerHandle } from './mqtt-broker';
import { stopChild } from './temporal-dev-server';
import { deviceCredentials, mosquittoAcl, mosquittoPasswordLine, SERVICE_USERNAMES, serviceCredentials, type ServiceRole } from '../kernel/devices/credentials';
import type { DeviceKind } from '../kernel/devices/protocol';

/** Debian's mosquitto, if installed: the second broker that proves protocol compatibility. */
export function mosquittoPath(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v mosquitto || ls /usr/sbin/mosquitto'], { encoding: 'utf8', env: { ...process.env } });
  const found = r.stdout.trim().split('\n')[0];
  return r.status === 0 && found ? found : undefined;
}

/** Installs mosquitto with apt-get when it is missing and this process may (root with apt). */
export function ensureMosquitto(): string | undefined {
  const existing = mosquittoPath();
  if (existing || process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) return existing;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (spawnSync('apt-get', ['install', '-y', '-q', 'mosquitto'], { stdio: 'ignore', env }).status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
    spawnSync('apt-get', ['install', '-y', '-q', 'mosquitto'], { stdio: 'ignore', env });
  }
  return mosquittoPath();
}

export interface MosquittoOptions {
  /** MQTT_AUTH_SECRET: with it mosquitto runs as docker-compose.yml's does (password file, ACL file, a TLS listener for devices). */
  authSecret?: string;
  /** MQTT_TOPIC_PREFIX the ACL file is written for. */
  topicPrefix?: string;
  /** The devices provisioned in the password file. */
  devices?: { kind: DeviceKind; sn: string }[];
}

export interface MosquittoHandle extends BrokerHandle {
  /** With auth: the devices' TLS listener (`mqtts://`, client id forced to the username) and the CA (PEM) to trust. */
  deviceUrl?: string;
  ca?: string;
  /** The CA as a file (for `npm run sim -- --ca`). */
  caFile?: string;
}

/** The password file of a deployment: the backend's services and each provisioned device, hashed as mosquitto_passwd does. */
export function mosquittoPasswordFile(secret: string, devices: { kind: DeviceKind; sn: string }[], topicPrefix = ''): string {
  const services = (Object.keys(SERVICE_USERNAMES) as ServiceRole[]).map((r) => serviceCredentials(secret, r));
  const kiosks = devices.map((d) => deviceCredentials(secret, d.kind, d.sn, topicPrefix));
  return [...services, ...kiosks].map((c) => mosquittoPasswordLine(c.username, c.password)).join('\n') + '\n';
}

/** A self-signed certificate for 127.0.0.1 (openssl), for the TLS listener. */
function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'];
  const r = spawnSync('openssl', [...args, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error('openssl could not make a certificate for the TLS listener');
  return { cert, key };
}

/** A folder mosquitto can write its database in, also after it drops root for its own user. */
function persistenceFolder(dir: string): string {
  const data = path.join(dir, 'data');
  fs.mkdirSync(data, { recursive: true });
  fs.chmodSync(data, 0o777);
  return data;
}

/** docker-compose.yml's mosquitto configuration, the one the authenticated test broker runs too. */
export const COMPOSE_MOSQUITTO_CONF = path.resolve(__dirname, '..', '..', 'deploy', 'mosquitto', 'mosquitto.conf');

/**
 * The compose configuration (services on the plain listener, devices on TLS with their username as
 * client id), with this run's files and loopback ports in place of the container's.
 */
export function authConfig(
  dir: string,
  port: number,
  tlsPort: number,
  opts: MosquittoOptions & {
    authSecret: string;
    /** Keep sessions and queued messages on disk here (the cluster); unset: in memory only. */ persistenceDir?: string;
  },
): string {
  fs.writeFileSync(path.join(dir, 'passwd'), mosquittoPasswordFile(opts.authSecret, opts.devices ?? [], opts.topicPrefix));
  fs.writeFileSync(path.join(dir, 'acl'), mosquittoAcl(opts.topicPrefix));
  selfSignedCert(dir);
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644); // mosquitto may drop to its own user
  const conf = fs.readFileSync(COMPOSE_MOSQUITTO_CONF, 'utf8');
  const persisted = opts.persistenceDir
    ? conf.replace(/^persistence_location .*$/m, `persistence_location ${persistenceFolder(opts.persistenceDir)}/`)
    : conf.replace(/^persistence true$/m, 'persistence false\nlog_dest none').replace(/^persistence_location .*$/m, '');
  return persisted
    .replaceAll('/mosquitto/auth/', `${dir}/`)
    .replaceAll('/mosquitto/certs/', `${dir}/`)
    .replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
    .replace(/^listener 8883$/m, `listener ${tlsPort} 127.0.0.1`);
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<MosquittoHandle> {
  const bin = mosquittoPath();
  if (!bin) throw new Error('mosquitto is not installed: apt-get install mosquitto (npm test does it when run as root)');
  const port = await freePort();
  const tlsPort = opts.authSecret ? await freePort() : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosquitto-'));
  fs.chmodSync(dir, 0o755);
  const conf = path.join(dir, 'mosquitto.conf');
  const secured = opts.authSecret && tlsPort ? authConfig(dir, port, tlsPort, { ...opts, authSecret: opts.authSecret }) : undefined;
  fs.writeFileSync(conf, secured ?? `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n`);
  const child = spawn(bin, ['-c', conf], { stdio: 'ignore' });
  await waitForPort(port, '127.0.0.1', 10_000);
  if (tlsPort) await waitForPort(tlsPort, '127.0.0.1', 10_000);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    ...(tlsPort
      ? { deviceUrl: `mqtts://127.0.0.1:${tlsPort}`, ca: fs.readFileSync(path.join(dir, 'server.crt'), 'utf8'), caFile: path.join(dir, 'server.crt') }
      : {}),
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
