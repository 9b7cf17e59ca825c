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
  /** With authSecret: keep sessions and subscriptions in a persistence file (as compose does), so restart() restores them. */
  persistent?: boolean;
}

export interface MosquittoHandle extends BrokerHandle {
  /** With auth: the devices' TLS listener (`mqtts://`, client id forced to the username) and the CA (PEM) to trust. */
  deviceUrl?: string;
  ca?: string;
  /** The CA as a file (for `npm run sim -- --ca`). */
  caFile?: string;
  /** Stops the broker (it saves its persistence file) and starts it again on the same ports. */
  restart(): Promise<void>;
}

/** mosquitto's persistence folder in `dir`, writable by the user `mosquitto` it drops to when started as root. */
export function brokerDataDir(dir: string): string {
  const data = path.join(dir, 'data');
  fs.mkdirSync(data, { recursive: true });
  if (process.getuid?.() === 0) {
    const id = (flag: string) => spawnSync('id', [flag, 'mosquitto'], { encoding: 'utf8' });
    const [uid, gid] = [id('-u'), id('-g')];
    if (uid.status === 0 && gid.status === 0) fs.chownSync(data, Number(uid.stdout), Number(gid.stdout));
  }
  return data;
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

/** docker-compose.yml's mosquitto configuration, the one the authenticated test broker runs too. */
export const COMPOSE_MOSQUITTO_CONF = path.resolve(__dirname, '..', '..', 'deploy', 'mosquitto', 'mosquitto.conf');

/**
 * The compose configuration (services on the plain listener, devices on TLS with their username as
 * client id), with this run's files and loopback ports in place of the container's. With `dataDir`
 * the broker keeps the compose file's `persistence true` there (sessions, their subscriptions and
 * queued QoS 1 messages survive a restart of the broker) and logs to `mosquitto.log` in it; without,
 * a throwaway broker for one test file: nothing kept, no log.
 */
export function authConfig(dir: string, port: number, tlsPort: number, opts: MosquittoOptions & { authSecret: string; dataDir?: string }): string {
  fs.writeFileSync(path.join(dir, 'passwd'), mosquittoPasswordFile(opts.authSecret, opts.devices ?? [], opts.topicPrefix));
  fs.writeFileSync(path.join(dir, 'acl'), mosquittoAcl(opts.topicPrefix));
  selfSignedCert(dir);
  // mosquitto may drop to its own user: it must read these (and search its data folder, if there).
  for (const f of fs.readdirSync(dir, { withFileTypes: true })) fs.chmodSync(path.join(dir, f.name), f.isDirectory() ? 0o755 : 0o644);
  const conf = fs.readFileSync(COMPOSE_MOSQUITTO_CONF, 'utf8');
  const kept = opts.dataDir
    ? conf
        .replace(/^persistence_location .*$/m, `persistence_location ${opts.dataDir}/\nlog_dest file ${opts.dataDir}/mosquitto.log`)
        .replace(/^persistence true$/m, 'persistence true\nautosave_interval 5')
    : conf.replace(/^persistence true$/m, 'persistence false\nlog_dest none').replace(/^persistence_location .*$/m, '');
  return kept
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
  const dataDir = opts.persistent ? brokerDataDir(dir) : undefined;
  const secured = opts.authSecret && tlsPort ? authConfig(dir, port, tlsPort, { ...opts, authSecret: opts.authSecret, dataDir }) : undefined;
  fs.writeFileSync(conf, secured ?? `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n`);
  const launch = async () => {
    const started = spawn(bin, ['-c', conf], { stdio: 'ignore' });
    await waitForPort(port, '127.0.0.1', 10_000);
    if (tlsPort) await waitForPort(tlsPort, '127.0.0.1', 10_000);
    return started;
  };
  let child = await launch();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    ...(tlsPort
      ? { deviceUrl: `mqtts://127.0.0.1:${tlsPort}`, ca: fs.readFileSync(path.join(dir, 'server.crt'), 'utf8'), caFile: path.join(dir, 'server.crt') }
      : {}),
    restart: async () => {
      await stopChild(child);
      child = await launch();
    },
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
