import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createGateways, defaultPaymentConfig, startPaymentSandboxes, type PaymentSandboxes } from '../../src/modules/payments/gateways/registry';
import { AuthTokenService } from '../../src/modules/identity/services/auth-token.service';
import { SecondFactorService } from '../../src/modules/identity/services/second-factor.service';
import { readOtp, randomEmail, startMessagingSandboxes, type MessagingSandboxes } from '../support/messaging';
import { customerToken, eventually, startTestStack, totpNow, type TestStack } from '../support/stack';
import { launchBrowser } from './browser';

export interface ConsoleFixture {
  stack: TestStack;
  boxes: MessagingSandboxes;
  pay: PaymentSandboxes;
  browser: Browser;
}

/** The stack (with worker and bridge), the SMS/SMTP and payment sandboxes, and a headless chromium, for one file. */
export async function startConsoleFixture(): Promise<ConsoleFixture> {
  const [boxes, pay, browser] = await Promise.all([startMessagingSandboxes(), startPaymentSandboxes({ ports: 0 }), launchBrowser()]);
  const gateways = createGateways(defaultPaymentConfig({ ...process.env, ...pay.env }));
  const stack = await startTestStack({
    env: { ...boxes.env, ...pay.env, PAYMENT_POLL_SECONDS: '600', CONSOLE_REFRESH_SECONDS: '1' },
    gateways,
  });
  return { stack, boxes, pay, browser };
}

export async function stopConsoleFixture(fx?: Partial<ConsoleFixture>) {
  await fx?.browser?.close();
  await fx?.stack?.close();
  await fx?.pay?.stop();
  await fx?.boxes?.stop();
}

export const sql = (fx: ConsoleFixture, q: string, params: unknown[] = []) => fx.stack.orm.em.getConnection().execute(q, params);

/**
 * An admin with an email and an authenticator confirmed with the previous 30 s step's code, so the
 * sign-in can use the current step and a step-up the next one (each code must be newer than the last).
 */
export async function newAdmin(fx: ConsoleFixture, role: 'admin' | 'super_admin' | 'finance' = 'admin') {
  const id = randomUUID();
  const email = randomEmail();
  await sql(fx, `insert into users (id, role, status, email) values (?, ?, 'active', ?)`, [id, role, email]);
  const { orm, config } = fx.stack;
  const pair = await new AuthTokenService({ orm, config }).startSession({ id, role });
  const factor = new SecondFactorService({ orm, config });
  const caller = { userId: id, sid: pair.session_id };
  const { secret } = await factor.enrol(caller);
  await factor.confirm(caller, totpNow(secret, Date.now() - 30_000));
  return { id, email, secret };
}

/** Signs in through the console's pages: email, the emailed code, then (for an admin) the authenticator's current code. */
export async function signIn(fx: ConsoleFixture, page: Page, email: string, secret?: string) {
  await page.goto(`${fx.stack.baseUrl}/console`);
  await page.getByLabel('Email or phone').fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('Code from the message').fill(await readOtp(fx.boxes, email, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  if (!secret) return;
  await page.getByLabel('Code from your authenticator app').fill(totpNow(secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

/** A customer who topped up 250.00 by eSewa and asked for it back: the refund's id. */
export async function pendingEsewaRefund(fx: ConsoleFixture) {
  const userId = randomUUID();
  const auth = { Authorization: `Bearer ${await customerToken(fx.stack, userId)}` };
  const api = () => request(fx.stack.baseUrl);
  const intent = (await api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '250.00', gateway: 'esewa' }).expect(200)).body.data;
  await fx.pay.esewa.submitForm(intent.gateway_data.formFields as Record<string, string>);
  await fx.pay.esewa.pay(intent.gateway_ref, { follow: true });
  await eventually(async () => (await api().get(`/api/payment/status/${intent.intent_id}`).set(auth)).body.data.status === 'success', 15_000);
  const refundId = (await api().post(`/api/payment/refund/${intent.intent_id}`).set(auth).send({ reason: 'topped up by mistake' }).expect(201)).body.data
    .id as string;
  return { userId, refundId };
}

export const OSM_TILES = 'https://tile.openstreetmap.org/**';

/** A page whose map tiles never reach the internet: refused unless the test routes them itself. */
export async function newPage(fx: ConsoleFixture): Promise<Page> {
  const page = await fx.browser.newPage();
  await page.route(OSM_TILES, (route) => route.abort());
  return page;
}

/** One record that needs a person in each other product: an overdue loan on a disabled battery, a blocked water OTP, a faulted charger. */
export async function otherProductsNeedingAPerson(fx: ConsoleFixture) {
  const tag = randomUUID().slice(0, 8);
  const phone = `+9198${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const [dealer] = await sql(fx, `insert into fleet_members (phone, user_type, name) values (?, 'dealer', ?) returning id`, [phone, `Dealer ${tag}`]);
  const [consumer] = await sql(fx, `insert into fleet_consumers (dealer_id, name, phone, kyc_status) values (?, ?, ?, 'verified') returning id`, [
    dealer.id,
    `Consumer ${tag}`,
    phone,
  ]);
  const serial = `BAT-${tag}`;
  const [battery] = await sql(fx, `insert into fleet_batteries (serial_number, dealer_id, owner_id, status) values (?, ?, ?, 'inactive') returning id`, [
    serial,
    dealer.id,
    consumer.id,
  ]);
  const [app] = await sql(
    fx,
    `insert into fleet_loan_applications (dealer_id, consumer_id, battery_id, amount_paise, tenure_months, status) values (?, ?, ?, 4500000, 12, 'disbursed') returning id`,
    [dealer.id, consumer.id, battery.id],
  );
  const [loan] = await sql(
    fx,
    `insert into fleet_loans (application_id, dealer_id, consumer_id, battery_id, principal_paise, interest_rate, tenure_months, emi_paise, status, disbursed_at)
     values (?, ?, ?, ?, 4500000, 18, 12, 412500, 'disabled', now() - interval '50 days') returning id`,
    [app.id, dealer.id, consumer.id, battery.id],
  );
  await sql(
    fx,
    `insert into fleet_emi_instalments (loan_id, seq, due_date, emi_paise, principal_paise, interest_paise, late_fee_paise, status, overdue_days)
     values (?, 1, current_date - 20, 412500, 345000, 67500, 10000, 'overdue', 20), (?, 2, current_date + 10, 412500, 350000, 62500, 0, 'upcoming', 0)`,
    [loan.id, loan.id],
  );
  const reference = `WTR${tag.toUpperCase()}`;
  await sql(
    fx,
    `insert into water_transactions (transaction_reference, method, status, phone_number, amount_minor, currency, liters) values (?, 'mpesa', 'completed', '254712345678', 5000, 'KES', 20)`,
    [reference],
  );
  await sql(
    fx,
    `insert into water_otps (transaction_reference, otp_hash, status, liters, pulses, attempts, max_attempts, expires_at, updated_at) values (?, 'x', 'blocked', 20, 9000, 3, 3, now() + interval '1 hour', now() - interval '2 hours')`,
    [reference],
  );
  const charger = `CP-${tag}`;
  await sql(
    fx,
    `insert into ev_chargers (id, device_number, price, waiting_price, lng, lat, state, ocpp_status, connected, password_hash, last_seen_at) values (?, ?, 50000, 10000, 106.9, 47.9, 'Error', 'Faulted', true, 'x', now() - interval '3 hours')`,
    [randomUUID().replace(/-/g, '').slice(0, 24), charger],
  );
  return { loanId: Number(loan.id), serial, consumer: `Consumer ${tag}`, reference, charger };
}
