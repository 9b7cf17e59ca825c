import type { MikroORM } from '@mikro-orm/postgresql';
import { DEV_NATS_ISSUER_SEED, DEV_NATS_SECRET } from '../src/config/charging';
import { DEV_MN_SMS_SANDBOX_PORT } from '../src/config/identity';
import { natsServerPath, startNatsServer } from '../src/infra/nats-server';
import { waitForPort } from '../src/infra/ports';
import { registerCharger, startQpaySandbox } from '../src/modules/charging';
import { startHttpSmsSandbox } from '../src/modules/identity/delivery/sandboxes';
import { OcppChargePoint } from '../src/sim/ocpp-charge-point';
import { num, type Log, type Stoppable } from './dev-common';

/**
 * The EV product (seed 000) in `npm run dev`: nats-server (when installed; NATS_URL names another),
 * the Mongolian SMS and QPay sandboxes, the Ulaanbaatar demo chargers and their simulated charge
 * points, which connect to the OCPP central system the dev runner starts as a child.
 */

/** Demo chargers around central Ulaanbaatar: device number, [lng, lat], MNT per kWh, MNT per waiting minute. */
export const UB_DEMO_CHARGERS: [string, [number, number], number, number][] = [
  ['UB-SUKHBAATAR-01', [106.9176, 47.9186], 550, 100],
  ['UB-SUKHBAATAR-02', [106.9181, 47.9191], 550, 100],
  ['UB-ZAISAN-01', [106.9167, 47.8857], 600, 120],
  ['UB-SHANGRILA-01', [106.9297, 47.9135], 650, 150],
  ['UB-DRAGON-01', [106.8603, 47.9127], 500, 80],
  ['UB-AIRPORT-01', [106.8183, 47.6467], 700, 150],
  ['UB-YARMAG-01', [106.8289, 47.8712], 500, 80],
  ['UB-NARANTUUL-01', [106.9499, 47.9096], 520, 100],
];
export const DEV_CHARGER_PASSWORD = 'ub-demo-charger';

/** Starts what EV needs from outside unless the environment names a real one; returns the env for the children. */
export async function startEvOutside(env: NodeJS.ProcessEnv, log: Log, keep: (s: Stoppable) => void): Promise<NodeJS.ProcessEnv> {
  const out: NodeJS.ProcessEnv = {};
  if (!env.NATS_URL && natsServerPath()) {
    const secret = env.NATS_SECRET ?? DEV_NATS_SECRET;
    const nats = await startNatsServer({
      secret,
      issuerSeed: env.NATS_ISSUER_SEED ?? DEV_NATS_ISSUER_SEED,
      port: num(env.NATS_PORT, 4222),
      wsPort: num(env.NATS_WS_PORT, 4280),
    });
    keep(nats);
    Object.assign(out, { NATS_URL: nats.url, NATS_PUBLIC_SERVERS: env.NATS_PUBLIC_SERVERS ?? nats.wsUrl });
    log(`NATS: ${nats.url} (app WebSocket ${nats.wsUrl}); EV push messages on ev.user.<userId>`);
  } else if (!env.NATS_URL) log('NATS: nats-server is not installed (npm run setup builds it): EV logins work, push messages are off');
  if (!env.MN_SMS_URL) {
    const sms = await startHttpSmsSandbox({ port: num(env.MN_SMS_SANDBOX_PORT, DEV_MN_SMS_SANDBOX_PORT) });
    keep(sms);
    out.MN_SMS_URL = sms.url;
    log(`Mongolian SMS sandbox: ${sms.url}  (inbox http://127.0.0.1:${sms.port}/sandbox/messages?to=%2B976...)`);
  }
  if (!env.QPAY_BASE_URL) {
    const qpay = await startQpaySandbox({
      port: num(env.QPAY_SANDBOX_PORT, 7407),
      username: env.QPAY_USERNAME ?? 'TEST_MERCHANT',
      password: env.QPAY_PASSWORD ?? 'stationflow-dev-qpay-password',
      invoiceCode: env.QPAY_INVOICE_CODE ?? 'TEST_INVOICE',
    });
    keep(qpay);
    log(`QPay sandbox: ${qpay.baseUrl}  (the invoice's url is its pay/cancel page)`);
  }
  return out;
}

/** Registers the Ulaanbaatar demo chargers (idempotent by device number). */
export async function loadEvDemo(orm: MikroORM): Promise<void> {
  for (const [deviceNumber, [lng, lat], price, waiting] of UB_DEMO_CHARGERS)
    await registerCharger(orm, { deviceNumber, password: DEV_CHARGER_PASSWORD, price: price * 100, waitingPrice: waiting * 100, lng, lat });
}

/**
 * Once the OCPP child listens, a simulated charge point per demo charger connects (MeterValues every
 * 5 s, each worth a minute of charging at 22 kW, so a demo session moves quickly; the car leaves
 * 70 s after charging stopped: one waiting minute).
 */
export async function connectEvDemoChargers(port: number, log: Log, keep: (s: Stoppable) => void): Promise<void> {
  await waitForPort(port, '127.0.0.1', 60_000);
  for (const [deviceNumber] of UB_DEMO_CHARGERS) {
    const cp = new OcppChargePoint({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      deviceNumber,
      password: DEV_CHARGER_PASSWORD,
      meterIntervalMs: 5000,
      simulatedMsPerInterval: 60_000,
      unplugAfterMs: 70_000,
    });
    await cp.connect();
    keep({ stop: () => cp.close() });
  }
  log(`${UB_DEMO_CHARGERS.length} Ulaanbaatar demo chargers connected over OCPP 1.6-J (ws://127.0.0.1:${port}/ocpp/<deviceNumber>)`);
}
