import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The schemathesis release `npm run test:fuzz` runs (PyPI), installed into a venv of the project's own. */
export const SCHEMATHESIS_VERSION = '4.32.5';

const VENV = path.resolve(__dirname, '..', '..', '.tools', 'schemathesis');
const bin = (name: string) => path.join(VENV, 'bin', name);

function installedVersion(): string | undefined {
  if (!fs.existsSync(bin('schemathesis'))) return undefined;
  const r = spawnSync(bin('schemathesis'), ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(r.stdout)?.[1];
}

/** The schemathesis CLI of .tools/schemathesis, installed there (python3 -m venv, pip) when missing or another version; undefined without python3. */
export function ensureSchemathesis(): string | undefined {
  if (installedVersion() === SCHEMATHESIS_VERSION) return bin('schemathesis');
  if (!fs.existsSync(bin('pip'))) {
    fs.rmSync(VENV, { recursive: true, force: true });
    if (spawnSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' }).status !== 0) return undefined;
  }
  const pip = spawnSync(bin('pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], { stdio: 'inherit' });
  return pip.status === 0 && installedVersion() === SCHEMATHESIS_VERSION ? bin('schemathesis') : undefined;
}
