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
export async function newAdmin(fx: ConsoleFixture) {
  const id = randomUUID();
  const email = randomEmail();
  await sql(fx, `insert into users (id, role, status, email) values (?, 'admin', 'active', ?)`, [id, email]);
  const { orm, config } = fx.stack;
  const pair = await new AuthTokenService({ orm, config }).startSession({ id, role: 'admin' });
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
