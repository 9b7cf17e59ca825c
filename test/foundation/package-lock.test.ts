import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * The committed package-lock.json is the one `npm ci` installs (README, .ci/run). npm checks it in
 * a scratch folder holding only package.json and the lock, so the checkout's node_modules is never
 * touched; both commands resolve from npm's cache (`npm ci` filled it).
 */
describe('package-lock.json', () => {
  const root = path.join(__dirname, '..', '..');
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stationflow-lock-'));
    for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(root, f), path.join(dir, f));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** npm in the scratch folder, without the npm_* variables of an enclosing `npm test` (one of them names this checkout as the prefix). */
  const npm = (...args: string[]) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
    const r = spawnSync('npm', [...args, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  };

  it("when `npm ci` reads it, then it is in sync with package.json (no package missing, e.g. another platform's optional one)", () => {
    const r = npm('ci', '--dry-run');
    expect(r.output).not.toMatch(/in sync|Missing:/);
    expect(r.status).toBe(0);
  });

  it('when `npm install` rewrites it, then not a byte changes', () => {
    const read = () => fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8');
    const packages = (text: string) => Object.keys(JSON.parse(text).packages);
    const before = read();
    const r = npm('install', '--package-lock-only');
    expect(r.status).toBe(0);
    const after = read();
    expect(packages(after).filter((p) => !packages(before).includes(p))).toEqual([]); // names what npm added
    expect(after === before).toBe(true);
  });
});
