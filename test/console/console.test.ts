import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startMessagingSandboxes, readOtp, randomEmail, type MessagingSandboxes } from '../support/messaging';
import { adminToken, adminTotpSecret, eventually, startTestStack, totpNow, type TestStack } from '../support/stack';
import { startKiosk } from '../support/kiosk';
import { launchBrowser, screenshot } from './browser';

jest.setTimeout(40_000);

let stack: TestStack;
let boxes: MessagingSandboxes;
let browser: Browser;
const sql = (q: string, params: unknown[] = []) => stack.orm.em.getConnection().execute(q, params);

/** An admin with an email and an enrolled authenticator (its TOTP secret returned). */
async function newAdmin() {
  const id = randomUUID();
  await adminToken(stack, id);
  const email = randomEmail();
  await sql(`update users set email = ? where id = ?`, [email, id]);
  return { id, email, secret: adminTotpSecret(id)! };
}

/** Signs in through the console's pages: email, the emailed code, then (for an admin) the authenticator code. */
async function signIn(page: Page, email: string, nth: number, secret?: string) {
  await page.goto(`${stack.baseUrl}/console`);
  await page.getByLabel('Email or phone').fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('Code from the message').fill(await readOtp(boxes, email, nth));
  await page.getByRole('button', { name: 'Verify' }).click();
  if (!secret) return;
  await page.getByLabel('Code from your authenticator app').fill(totpNow(secret, Date.now() + 30_000));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

beforeAll(async () => {
  boxes = await startMessagingSandboxes();
  stack = await startTestStack({ env: { ...boxes.env, CONSOLE_MAP_TILES: '' } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await boxes?.stop();
});

describe('operations console in a real browser', () => {
  it('when an admin signs in with the emailed code and the authenticator, then the overview shows the queues; approving a pending KYC there approves it', async () => {
    const admin = await newAdmin();
    const customer = randomUUID();
    const name = `Kyc ${customer.slice(0, 6)}`;
    await sql(`insert into users (id, role, status, email) values (?, 'customer', 'active', ?)`, [customer, randomEmail()]);
    const kycId = randomUUID();
    await sql(
      `insert into kyc_submissions (id, user_id, citizenship_number, full_name, document_front_url, document_back_url, status) values (?, ?, ?, ?, 'https://x/front.png', 'https://x/back.png', 'pending')`,
      [kycId, customer, `12-01-${customer.slice(0, 6)}`, name],
    );
    const page = await browser.newPage();
    await signIn(page, admin.email, 1, admin.secret);
    await page.locator('[data-queue="kyc"]').waitFor();
    await screenshot(page, 'overview');

    await page.locator('[data-queue="kyc"]').click();
    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('KYC approved.').waitFor();
    await screenshot(page, 'kyc-approved');
    expect((await sql(`select status from kyc_submissions where id = ?`, [kycId]))[0].status).toBe('approved');
    const audit = await sql(`select count(*)::int as n from admin_audit_log where actor_id = ?`, [admin.id]);
    expect(audit[0].n).toBeGreaterThan(0);
    await page.close();
  });

  it('when an admin ejects a slot of a simulated kiosk from its station page, then the page shows the station’s ack', async () => {
    const admin = await newAdmin();
    const kiosk = await startKiosk(stack);
    const page = await browser.newPage();
    try {
      await signIn(page, admin.email, 1, admin.secret);
      await page.goto(`${stack.baseUrl}/console/#/stations/${kiosk.sn}`);
      await page.getByRole('button', { name: 'Eject slot 1' }).click();
      await page
        .locator('#command-result')
        .getByText(/eject slot 1: acked/)
        .waitFor({ timeout: 10_000 });
      await screenshot(page, 'station-eject-acked');
    } finally {
      await page.close();
      await kiosk.stop();
    }
  });

  it('when a customer signs in, then the console refuses them and ends the session', async () => {
    const id = randomUUID();
    const email = randomEmail();
    await sql(`insert into users (id, role, status, email) values (?, 'customer', 'active', ?)`, [id, email]);
    const page = await browser.newPage();
    await signIn(page, email, 1);
    await page.getByText('This account cannot open the console').waitFor();
    await screenshot(page, 'customer-refused');
    await eventually(async () => (await sql(`select count(*)::int as n from auth_sessions where user_id = ? and revoked_at is null`, [id]))[0].n === 0);
    expect(await page.locator('#nav').isHidden()).toBe(true);
    await page.close();
  });
});
