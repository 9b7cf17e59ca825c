import { spawnSync } from 'node:child_process';

/** Debian's chromium, if installed: the browser the console's tests drive (Playwright's own download cannot work here). */
export function chromiumPath(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8', env: { ...process.env } });
  const found = r.stdout.trim().split('\n')[0];
  return r.status === 0 && found ? found : undefined;
}

/** Installs chromium with apt-get when it is missing and this process may (root with apt), as ensureMosquitto does. */
export function ensureChromium(): string | undefined {
  const existing = chromiumPath();
  if (existing || process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) return existing;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { stdio: 'ignore', env }).status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
    spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { stdio: 'ignore', env });
  }
  return chromiumPath();
}
