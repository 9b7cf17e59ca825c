import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './ports';
import type { BrokerHandle } from './mqtt-broker';
import { stopChild } from './temporal-dev-server';

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

export async function startMosquitto(): Promise<BrokerHandle> {
  const bin = mosquittoPath();
  if (!bin) throw new Error('mosquitto is not installed: apt-get install mosquitto (npm test does it when run as root)');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosquitto-'));
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n`);
  const child = spawn(bin, ['-c', conf], { stdio: 'ignore' });
  await waitForPort(port, '127.0.0.1', 10_000);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
