import { randomUUID } from 'node:crypto';
import { startWaterTestSandboxes, stationSecret } from '../../src/modules/dispensing';
import { createGateways, defaultPaymentConfig, startPaymentSandboxes } from '../../src/modules/payments/gateways/registry';
import { createFixture, type Fixture } from '../../test/support/fixtures';
import { sessionToken, type TestStack } from '../../test/support/stack';
import { evStackIn, signIn } from '../../test/ev/support';
import { addMember, loginAs, startFleetSandboxes } from '../../test/fleet/fleet-support';

/** What the schemathesis hook needs: a token per role of each surface and a water station's signing key. */
export interface FuzzCredentials {
  /** stepUpAdmin: for the money actions, whose wrong X-TOTP codes lock that admin's second factor. */
  chargeghar: { rider: string; admin: string; stepUpAdmin: string };
  fleet: { dealer: string; admin: string };
  ev: { user: string };
  water: { stationId: string; stationSecret: string };
  /** A platform admin with its second factor: every product's desk paths (`<mount>/admin/...`). */
  platformAdmin: string;
}

export interface FuzzStack {
  stack: TestStack;
  credentials: FuzzCredentials;
}

/** Fuzzing sends thousands of requests from one address: every per-IP and per-user limit is lifted (429s stay documented). */
const LIFTED_LIMITS = {
  RATE_LIMITS: ['login', 'register', 'refresh', 'upload', 'topup', 'refund', 'referral', 'webhook']
    .flatMap((n) => [`${n}.ip=1000000/60`, `${n}.user=1000000/60`])
    .join(','),
  OTP_IP_LIMIT: '1000000',
  OTP_VERIFY_IP_LIMIT: '1000000',
  WATER_RATE_LIMIT: '1000000/900',
  // The admin's second factor is verified once, when its session starts; it must cover the whole run.
  ADMIN_STEP_UP_MINUTES: '120',
};

/** A registered water station: its id and the secret it signs its requests with. */
async function waterStation(stack: TestStack) {
  const id = `WSFUZZ${randomUUID().slice(0, 6).toUpperCase()}`;
  await stack.orm.em
    .getConnection()
    .execute(`insert into water_stations (station_id, name, latitude, longitude) values (?, ?, -1.2864, 36.8172)`, [id, `Fuzz ${id}`]);
  return { stationId: id, stationSecret: stationSecret(stack.config.WATER_STATION_SECRET, id) };
}

/**
 * One stack serving all four surfaces, with every outside system's sandbox (payments: Khalti, eSewa,
 * Stripe; fleet: MSG91, NBFC, Razorpay; water: Daraja, Africa's Talking, Paystack; EV: NATS and the Mongolian SMS gateway),
 * and real sessions: each token is issued the way its surface issues it (OTP by SMS for fleet and
 * EV, a session with its second factor for admins).
 */
export function fuzzStack(): Fixture<FuzzStack> {
  return createFixture(async (scope) => {
    const fleetBoxes = await scope.use(startFleetSandboxes(), (b) => b.stop());
    const water = await scope.use(startWaterTestSandboxes(), (b) => b.stop());
    const payments = await scope.use(startPaymentSandboxes({ ports: 0 }), (b) => b.stop());
    const gateways = createGateways(defaultPaymentConfig({ ...process.env, ...payments.env }));
    const env = { ...fleetBoxes.env, ...water.env, ...payments.env, ...LIFTED_LIMITS };
    const ev = await evStackIn(scope, { bridge: false, env, gateways });
    const { stack } = ev;
    fleetBoxes.connect(stack);
    water.connect(stack.baseUrl, stack.config.AT_DELIVERY_REPORT_TOKEN);
    await payments.stripe.setWebhookEndpoint({ url: `${stack.baseUrl}/api/payment/webhook/stripe`, autoDeliver: true });
    const [dealer, fleetAdmin] = [await addMember(stack, 'dealer'), await addMember(stack, 'admin')];
    const credentials: FuzzCredentials = {
      chargeghar: {
        rider: await sessionToken(stack, 'user'),
        admin: await sessionToken(stack, 'super_admin'),
        stepUpAdmin: await sessionToken(stack, 'super_admin'),
      },
      fleet: {
        dealer: await loginAs(stack, fleetBoxes.sms, dealer.phone, 'dealer'),
        admin: await loginAs(stack, fleetBoxes.sms, fleetAdmin.phone, 'admin'),
      },
      ev: { user: (await signIn(ev)).token },
      water: await waterStation(stack),
      platformAdmin: await sessionToken(stack, 'super_admin'),
    };
    return { stack, credentials };
  });
}
