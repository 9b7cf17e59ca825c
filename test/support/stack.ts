import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createApiApp } from '../../src/workers/compose/api';
import { loadConfig, type Config } from '../../src/config';
import { initOrm } from '../../src/db/orm';
import { createMessaging } from '../../src/modules/identity/delivery/messaging';
import { MqttBridge } from '../../src/workers/mqtt-bridge/bridge';
import { DeviceBus } from '../../src/kernel/devices/device-bus';
import { SERVICE_USERNAMES, serviceCredentials } from '../../src/kernel/devices/credentials';
import { Secret, TOTP } from 'otpauth';
import { AuthTokenService } from '../../src/modules/identity/services/auth-token.service';
import { SecondFactorService } from '../../src/modules/identity/services/second-factor.service';
import { isAdminRole } from '../../src/modules/identity/rules/roles';
import { createPushSender } from '../../src/modules/engagement/push';
import { createGatewayWorker, createWorker } from '../../src/workers/temporal-worker';
import { pushSweepScheduleId } from '../../src/modules/engagement/services/push-sweep-schedule';
import { ensureSchedules, scheduleIds } from '../../src/workers/schedules';
import { connectTemporal, connectTemporalWorker, temporalClient } from '../../src/workers/temporal-connection';
import type { GatewayRegistry } from '../../src/modules/payments/services/gateways';

export interface TestStack {
  config: Config;
  /** The environment the config was read from (what a worker process of this stack needs). */
  env: Record<string, string>;
  orm: MikroORM;
  temporal: Client;
  bus: DeviceBus;
  bridge?: MqttBridge;
  worker?: Worker;
  /** The worker's push sweeper schedule (absent without a worker or on the time-skipping server); deleted by close(). */
  pushSweepScheduleId?: string;
  server: Server;
  baseUrl: string;
  /** The clock of this stack's kiosks (see the option). */
  deviceClock?: () => number | Promise<number>;
  close(): Promise<void>;
}

/**
 * The API, a Temporal worker and the MQTT bridge of one test file, in-process, against the real
 * PostgreSQL, Temporal server and broker of the run. Each file gets its own task queue and its own
 * MQTT topic prefix: its bridge reads only its own kiosks' traffic, and its silence sweep marks
 * offline only stations it heard from (the database is shared by every file of the run).
 */
export async function startTestStack(
  opts: {
    env?: Record<string, string>;
    worker?: boolean;
    bridge?: boolean;
    gateways?: GatewayRegistry;
    /** Another Temporal server (the time-skipping test server): its client and worker connection, closed by the caller. */
    temporalServer?: { client: Client; nativeConnection: NativeConnection };
    /**
     * The push sweeper schedule the worker creates: paused by default, so it runs only when a test
     * triggers it (every file shares the database; a running sweeper would start another file's
     * queued pushes on its own queue). Not created on the time-skipping server (no schedules there).
     */
    pushSweep?: 'paused' | 'running';
    /** Where the API's and worker's device bus connects (a proxy a fault test cuts); the bridge and kiosks keep MQTT_URL. */
    busMqttUrl?: string;
    /** The clock the stack's kiosks stamp their reports with (a time-skipping server's, where the workflows live in skipped time). */
    deviceClock?: () => number | Promise<number>;
  } = {},
): Promise<TestStack> {
  const env = {
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    MQTT_TOPIC_PREFIX: `test-${randomUUID().slice(0, 8)}`,
    // On the time-skipping test server 8 s (a first resend timer of 2 s): that server refuses a task that cancels a timer
    // which fired while the task ran, and the run then hangs (sdk-java#2606, #3088); an ack near a 1 s timer raced it (ci12).
    DEVICE_ACK_TIMEOUT_MS: opts.temporalServer ? '8000' : '2000',
    PORT: '0',
    ...opts.env,
  };
  const config = loadConfig({ ...process.env, ...env });
  const orm = await initOrm(config.DATABASE_URL, { pool: { min: 0, max: 5 } });
  // The processes' own way to Temporal: TLS / API key and the payload codec as configured.
  const connection: Connection | undefined = opts.temporalServer ? undefined : await connectTemporal(config);
  const temporal = opts.temporalServer?.client ?? temporalClient(config, connection!);
  const bus = await DeviceBus.connect(opts.busMqttUrl ?? config.MQTT_URL, `${SERVICE_USERNAMES.api}-test-${randomUUID()}`, {
    topicPrefix: config.MQTT_TOPIC_PREFIX,
    credentials: serviceCredentials(config.MQTT_AUTH_SECRET, 'api'),
  });

  let worker: Worker | undefined;
  let gatewayWorker: Worker | undefined;
  let nativeConnection: NativeConnection | undefined;
  let running: Promise<void> | undefined;
  let pushSweepSchedule: string | undefined;
  if (opts.worker !== false) {
    nativeConnection = opts.temporalServer ? undefined : await connectTemporalWorker(config);
    const setup = {
      connection: opts.temporalServer?.nativeConnection ?? nativeConnection!,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      orm,
      bus,
      config,
      messaging: createMessaging(config),
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
      gateways: opts.gateways,
      push: createPushSender(config),
    };
    worker = await createWorker(setup);
    gatewayWorker = await createGatewayWorker(setup);
    running = Promise.all([worker.run(), gatewayWorker.run()]).then(() => undefined);
    if (!opts.temporalServer) {
      // Paused unless asked: every file shares the database, and a running sweeper would act on other files' rows.
      await ensureSchedules({ client: temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, config, paused: opts.pushSweep !== 'running' });
      pushSweepSchedule = pushSweepScheduleId(config.TEMPORAL_TASK_QUEUE);
    }
  }
  let bridge: MqttBridge | undefined;
  if (opts.bridge !== false) {
    bridge = new MqttBridge({
      mqttUrl: config.MQTT_URL,
      orm,
      temporal,
      clientId: `${SERVICE_USERNAMES.bridge}-test-${randomUUID()}`,
      credentials: serviceCredentials(config.MQTT_AUTH_SECRET, 'bridge'),
      heartbeatTimeoutMs: BRIDGE_HEARTBEAT_TIMEOUT_MS,
      topicPrefix: config.MQTT_TOPIC_PREFIX,
      sweepScope: 'heard',
      batteryReconcile: {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        ackTimeoutMs: config.DEVICE_ACK_TIMEOUT_MS,
        resendAfterSeconds: config.FLEET_STATUS_RESEND_SECONDS,
      },
    });
    await bridge.start();
  }
  const app = createApiApp({ config, orm, temporal, bus, gateways: opts.gateways });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  ormByConfig.set(config, orm);
  return {
    config,
    env,
    orm,
    temporal,
    bus,
    bridge,
    worker,
    pushSweepScheduleId: pushSweepSchedule,
    server,
    baseUrl,
    deviceClock: opts.deviceClock,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await bridge?.stop();
      if (pushSweepSchedule) {
        for (const id of scheduleIds(config.TEMPORAL_TASK_QUEUE))
          await temporal.schedule
            .getHandle(id)
            .delete()
            .catch(() => undefined);
      }
      if (worker) {
        worker.shutdown();
        gatewayWorker?.shutdown();
        await running;
      }
      await nativeConnection?.close();
      await bus.close().catch(() => undefined);
      await connection?.close();
      await orm.close();
    },
  };
}

const ormByConfig = new WeakMap<Config, MikroORM>();

/** A test bridge marks a station it heard from offline after this much silence; test kiosks heartbeat far more often (support/kiosk.ts). */
export const BRIDGE_HEARTBEAT_TIMEOUT_MS = 60_000;

/**
 * An access token of a real session: the user (created with this id and role if it does not exist)
 * and an auth_sessions row, through AuthTokenService.startSession, as a login would. The auth guard
 * checks the session, so a token only works while its session is live. An admin's session also
 * gets its second factor the way an admin's would: TOTP set up (enrol + a first code) the first
 * time, a recovery code after that. Pass the stack or its config.
 */
export async function sessionToken(target: TestStack | Config, role: string, id: string = randomUUID()): Promise<string> {
  const config = 'config' in target && 'orm' in target ? target.config : (target as Config);
  const orm = 'orm' in target && 'config' in target ? target.orm : ormByConfig.get(config);
  if (!orm) throw new Error('sessionToken: pass the TestStack, or the config of a stack started by startTestStack');
  await orm.em.getConnection().execute(`insert into users (id, role, status) values (?, ?, 'active') on conflict (id) do nothing`, [id, role]);
  const [user] = await orm.em.getConnection().execute(`select role from users where id = ?`, [id]);
  const pair = await new AuthTokenService({ orm, config }).startSession({ id, role: user.role });
  if (isAdminRole(user.role)) await verifySecondFactor(new SecondFactorService({ orm, config }), { userId: id, sid: pair.session_id });
  return pair.access_token;
}

/** The TOTP secrets and unused recovery codes of the admins this file's helpers set up. */
const adminFactors = new Map<string, { secret: string; recoveryCodes: string[] }>();

/** The current TOTP code of a secret (what the admin's authenticator app shows). */
export const totpNow = (secret: string, timestamp = Date.now()) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp });

/** The TOTP secret of an admin set up by sessionToken in this file. */
export const adminTotpSecret = (userId: string) => adminFactors.get(userId)?.secret;

async function verifySecondFactor(factor: SecondFactorService, caller: { userId: string; sid: string }) {
  if (!(await factor.isEnrolled(caller.userId))) {
    const { secret } = await factor.enrol(caller);
    const { recovery_codes } = await factor.confirm(caller, totpNow(secret));
    adminFactors.set(caller.userId, { secret, recoveryCodes: recovery_codes });
    return;
  }
  const known = adminFactors.get(caller.userId) ?? { secret: '', recoveryCodes: [] };
  if (known.recoveryCodes.length === 0) known.recoveryCodes = (await factor.regenerateRecoveryCodes(caller.userId)).recovery_codes;
  await factor.verify(caller, { recovery_code: known.recoveryCodes.shift()! });
  adminFactors.set(caller.userId, known);
}

export const adminToken = (target: TestStack | Config, id?: string) => sessionToken(target, 'admin', id);
export const customerToken = (target: TestStack | Config, id?: string) => sessionToken(target, 'customer', id);

/** A station of the test's own (unique serial), with the demo bay layout. */
export async function createTestStation(orm: MikroORM, opts: { sn?: string; online?: boolean; slots?: number } = {}) {
  const sn = opts.sn ?? `T${randomUUID().slice(0, 8).toUpperCase()}`;
  const conn = orm.em.getConnection();
  const slots = opts.slots ?? 8;
  await conn.execute(
    `insert into stations (id, sn, name, latitude, longitude, slot_count, online, last_seen_at) values (gen_random_uuid(), ?, ?, 27.7, 85.3, ?, ?, now())`,
    [sn, `Test ${sn}`, slots, opts.online ?? false],
  );
  for (let i = 1; i <= slots; i++) {
    const pb = i <= slots - 2 ? `PB-${sn}-${i}` : null;
    await conn.execute(
      `insert into slots (id, station_id, index, status, power_bank_sn, battery_level) select gen_random_uuid(), id, ?, ?, ?, ? from stations where sn = ?`,
      [i, pb ? 'occupied' : 'empty', pb, pb ? 90 : null, sn],
    );
  }
  return sn;
}

/** Polls `fn` until it returns something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
