import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromSeed } from '@nats-io/nkeys';
import { freePort, waitForPort } from './ports';
import { stopChild } from './temporal-dev-server';
import { natsServiceCredentials } from '../kernel/nats-credentials';

/** The version `npm run setup` builds from the Go module proxy (2.10+ has the auth callout). */
export const NATS_SERVER_GO_MODULE = 'github.com/nats-io/nats-server/v2@v2.15.2';
const TOOLS_DIR = path.resolve(__dirname, '..', '..', '.tools', 'nats');

/** NATS_SERVER_PATH, .tools/nats/nats-server, or one on PATH. */
export function natsServerPath(): string | undefined {
  const fromEnv = process.env.NATS_SERVER_PATH;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  const local = path.join(TOOLS_DIR, 'nats-server');
  if (fs.existsSync(local)) return local;
  const r = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found && natsSupportsCallout(found) ? found : undefined;
}

/** Debian bookworm ships 2.9: no auth callout. */
function natsSupportsCallout(bin: string): boolean {
  const v = /v?(\d+)\.(\d+)/.exec(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout ?? '');
  return Boolean(v && (Number(v[1]) > 2 || (Number(v[1]) === 2 && Number(v[2]) >= 10)));
}

/** Builds nats-server into .tools/nats with `go install` when none is here (npm run setup). */
export function ensureNatsServer(): string | undefined {
  const existing = natsServerPath();
  if (existing) return existing;
  if (spawnSync('sh', ['-c', 'command -v go']).status !== 0) return undefined;
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  spawnSync('go', ['install', NATS_SERVER_GO_MODULE], { stdio: 'inherit', env: { ...process.env, GOBIN: TOOLS_DIR } });
  return natsServerPath();
}

export interface NatsServerHandle {
  /** The backend's URL (nats://). */
  url: string;
  /** The app's WebSocket listener (ws://). */
  wsUrl: string;
  stop(): Promise<void>;
}

/**
 * The configuration: the backend's service users in config, every other client through the auth
 * callout (answered by the `auth` service user, user JWTs signed by the AUTH account's key), app
 * users placed in the APP account where the publisher lives.
 */
export function natsServerConfig(opts: { port: number; wsPort: number; secret: string; issuerSeed: string }): string {
  const issuer = fromSeed(new TextEncoder().encode(opts.issuerSeed)).getPublicKey();
  const auth = natsServiceCredentials(opts.secret, 'auth');
  const pub = natsServiceCredentials(opts.secret, 'publisher');
  return `listen: 127.0.0.1:${opts.port}
websocket { listen: "127.0.0.1:${opts.wsPort}", no_tls: true }
accounts {
  AUTH { users: [ { user: "${auth.user}", password: "${auth.pass}" } ] }
  APP { users: [ { user: "${pub.user}", password: "${pub.pass}" } ] }
  SYS {}
}
system_account: SYS
authorization {
  # Seconds a client has to authenticate, the callout's answer included (default 2): a callout
  # service on a busy machine can take longer than that for its first answers.
  timeout: 10
  auth_callout {
    issuer: ${issuer}
    auth_users: [ "${auth.user}", "${pub.user}" ]
    account: AUTH
  }
}
`;
}

/** A loopback nats-server on free ports (tests) or the given ones (`npm run dev`). */
export async function startNatsServer(opts: { secret: string; issuerSeed: string; port?: number; wsPort?: number }): Promise<NatsServerHandle> {
  const bin = natsServerPath();
  if (!bin) throw new Error('nats-server is not installed: npm run setup builds it into .tools/nats (needs go), or set NATS_SERVER_PATH');
  const [port, wsPort] = [opts.port ?? (await freePort()), opts.wsPort ?? (await freePort())];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nats-'));
  const conf = path.join(dir, 'nats.conf');
  fs.writeFileSync(conf, natsServerConfig({ secret: opts.secret, issuerSeed: opts.issuerSeed, port, wsPort }));
  const child = spawn(bin, ['-c', conf], { stdio: 'ignore' });
  await waitForPort(port, '127.0.0.1', 10_000);
  await waitForPort(wsPort, '127.0.0.1', 10_000);
  return {
    url: `nats://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
