import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { startMqttBroker } from '../../src/infra/mqtt-broker';
import { startTemporalDevServer } from '../../src/infra/temporal-dev-server';
import { temporalTestServerPath } from '../../src/infra/temporal-binary';
import { buildWorkflowBundle } from '../../src/workers/bundle';

/** The run's MQTT identity key: the broker checks every client's credentials against it. */
const TEST_MQTT_AUTH_SECRET = 'test-mqtt-auth-secret-that-is-long-enough';

/**
 * Starts the real stack once for the whole run, on free ports, in a fresh temporary folder:
 * PostgreSQL (embedded), the Temporal dev server (in memory) and an aedes broker (authenticated, with ACLs).
 * Test files read the addresses from the environment.
 */
export default async function globalSetup() {
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stationflow-test-'));
  fs.chmodSync(dir, 0o755);
  const [pg, temporal, broker] = await Promise.all([
    startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') }),
    startTemporalDevServer({ ui: false }),
    startMqttBroker({ authSecret: TEST_MQTT_AUTH_SECRET }),
  ]);
  // Migrations run as `npm run migrate` would, in a process of their own (MikroORM keeps global
  // metadata that must not leak from this context into the test sandboxes); the workflow bundle
  // builds meanwhile (each is several seconds, one mostly waiting on the database).
  const [, bundle] = await Promise.all([
    promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'scripts', 'migrate.ts')], {
      env: { ...process.env, DATABASE_URL: pg.url },
    }),
    buildWorkflowBundle(path.join(dir, 'workflow-bundle.js')),
  ]);
  temporalTestServerPath(); // installs the time-skipping server now rather than inside a test's timeout

  Object.assign(process.env, {
    NODE_ENV: 'test',
    // Every file's requests come from 127.0.0.1 and share the database's counters: the HTTP rate limits
    // are lifted here; test/security/rate-limits.test.ts sets its own.
    RATE_LIMITS: ['login', 'register', 'refresh', 'upload', 'topup', 'refund', 'referral', 'webhook']
      .flatMap((n) => [`${n}.ip=1000000/60`, `${n}.user=1000000/60`])
      .join(','),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    MQTT_URL: broker.url,
    JWT_SECRET: 'test-secret-that-is-long-enough',
    MQTT_AUTH_SECRET: TEST_MQTT_AUTH_SECRET,
    WORKFLOW_BUNDLE_PATH: bundle,
    STATIONFLOW_TEST_DIR: dir,
  });
  (globalThis as Record<string, unknown>).__STACK__ = { pg, temporal, broker, dir };
  process.stdout.write(`\nstack up in ${Date.now() - started} ms: ${pg.url} temporal=${temporal.address} mqtt=${broker.url}\n`);
}
