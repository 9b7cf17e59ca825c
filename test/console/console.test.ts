import { randomUUID } from 'node:crypto';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { randomEmail } from '../support/messaging';
import { customerToken, eventually, totpNow } from '../support/stack';
import { startKiosk } from '../support/kiosk';
import { screenshot } from './browser';
import {
  newAdmin,
  newPage,
  OSM_TILES,
  otherProductsNeedingAPerson,
  pendingEsewaRefund,
  signIn,
  sql,
  startConsoleFixture,
  stopConsoleFixture,
  type ConsoleFixture,
} from './support';

jest.setTimeout(40_000);

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

let fx: ConsoleFixture;
beforeAll(async () => {
  fx = await startConsoleFixture();
});
afterAll(() => stopConsoleFixture(fx));

describe('operations console in a real browser', () => {
  it('when an admin signs in with the emailed code and the authenticator, then the overview shows the queues; approving a pending KYC there approves it and tells the user; the users page bans them with a reason', async () => {
    const admin = await newAdmin(fx);
    const customer = randomUUID();
    const name = `Kyc ${customer.slice(0, 6)}`;
    await sql(fx, `insert into users (id, role, status, email) values (?, 'customer', 'active', ?)`, [customer, randomEmail()]);
    const kycId = randomUUID();
    await sql(
      fx,
      `insert into kyc_submissions (id, user_id, citizenship_number, full_name, document_front_url, document_back_url, status) values (?, ?, ?, ?, 'https://x/front.png', 'https://x/back.png', 'pending')`,
      [kycId, customer, `12-01-${customer.slice(0, 6)}`, name],
    );
    const page = await newPage(fx);
    await signIn(fx, page, admin.email, admin.secret);
    await page.locator('[data-queue="kyc"]').waitFor();
    await screenshot(page, 'overview');

    await page.locator('[data-queue="kyc"]').click();
    await page.getByRole('row').filter({ hasText: name }).getByRole('button', { name: 'Approve' }).click();
    await page.getByText('KYC approved.').waitFor();
    await screenshot(page, 'kyc-approved');
    expect((await sql(fx, `select status from kyc_submissions where id = ?`, [kycId]))[0].status).toBe('approved');
    expect((await sql(fx, `select count(*)::int as n from admin_audit_log where actor_id = ?`, [admin.id]))[0].n).toBeGreaterThan(0);
    await eventually(async () => (await sql(fx, `select 1 from notifications where user_id = ? and type = 'kyc_approved'`, [customer])).length === 1);

    // The same customer from the users page: banned with a reason, which ends their sessions.
    await page.goto(`${fx.stack.baseUrl}/console/#/users/${customer}`);
    await page.getByRole('form', { name: 'Ban' }).getByLabel('Reason').fill('fraudulent documents');
    await page.getByRole('button', { name: 'Ban' }).click();
    await page.getByText('Account banned; its sessions ended.').waitFor();
    expect((await sql(fx, `select status, status_reason from users where id = ?`, [customer]))[0]).toEqual({
      status: 'banned',
      status_reason: 'fraudulent documents',
    });
    // ... and restored with a reason from the same page.
    await page.getByRole('form', { name: 'Unban' }).getByLabel('Reason').fill('documents checked again');
    await page.getByRole('button', { name: 'Unban' }).click();
    await page.getByText('Account restored.').waitFor();
    await screenshot(page, 'user-unbanned');
    expect((await sql(fx, `select status, status_reason from users where id = ?`, [customer]))[0]).toEqual({
      status: 'active',
      status_reason: 'documents checked again',
    });
    await page.close();
  });

  it('when an admin approves a refund with a stale second factor, then the console asks for the authenticator code, the wallet gives the money back once, and the payout reference is recorded', async () => {
    const admin = await newAdmin(fx);
    const { userId, refundId } = await pendingEsewaRefund(fx);
    const money = createLedgerServices(fx.stack.orm);
    expect((await money.ledger.balances(userId, 'NPR')).walletMinor).toBe(25_000);
    const page = await newPage(fx);
    await signIn(fx, page, admin.email, admin.secret);
    await sql(fx, `update auth_sessions set second_factor_at = now() - interval '1 day' where user_id = ?`, [admin.id]);

    await page.goto(`${fx.stack.baseUrl}/console/#/queues/refunds`);
    await page
      .getByRole('row')
      .filter({ hasText: `refund:${refundId}` })
      .getByRole('button', { name: 'Approve refund' })
      .click();
    await page.getByLabel('Code').fill(totpNow(admin.secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Refund approved.').waitFor();
    expect((await sql(fx, `select status from refund_requests where id = ?`, [refundId]))[0].status).toBe('completed');
    expect((await money.ledger.balances(userId, 'NPR')).walletMinor).toBe(0);

    await page.goto(`${fx.stack.baseUrl}/console/#/queues/payouts`);
    const row = page.getByRole('row').filter({ hasText: `refund:${refundId}` });
    await row.getByLabel('Bank or wallet reference').fill('ESEWA-PAYOUT-42');
    await row.getByRole('button', { name: 'Record payout' }).click();
    await page.getByText('Payout recorded.').waitFor();
    await screenshot(page, 'payout-recorded');
    const [refund] = await sql(fx, `select payout_status, payout_reference, payout_by from refund_requests where id = ?`, [refundId]);
    expect(refund).toEqual({ payout_status: 'paid', payout_reference: 'ESEWA-PAYOUT-42', payout_by: admin.id });
    expect((await money.ledger.balances(userId, 'NPR')).walletMinor).toBe(0);
    await page.close();
  });

  it('when an admin ejects a slot of a simulated kiosk from its station page, then the page shows the station’s ack, and the station going offline when the kiosk stops; maintenance mode from the same page', async () => {
    const admin = await newAdmin(fx);
    const kiosk = await startKiosk(fx.stack);
    const page = await newPage(fx);
    try {
      await signIn(fx, page, admin.email, admin.secret);
      await page.goto(`${fx.stack.baseUrl}/console/#/stations/${kiosk.sn}`);
      await page.getByRole('button', { name: 'Eject slot 1' }).click();
      await page
        .locator('#command-result')
        .getByText(/eject slot 1: acked/)
        .waitFor({ timeout: 10_000 });
      await screenshot(page, 'station-eject-acked');
      for (const command of ['Reboot', 'Lock', 'Unlock']) {
        await page.getByRole('button', { name: command, exact: true }).click();
        await page
          .locator('#command-result')
          .getByText(new RegExp(`^${command.toLowerCase()}: acked`))
          .waitFor({ timeout: 10_000 });
      }
      await screenshot(page, 'station-unlock-acked');
      expect(await page.locator('main').getAttribute('data-live')).toBe('sse');
      // The page refreshes itself: the kiosk going away shows as offline without a reload.
      await kiosk.stop();
      await page.locator('.status-offline').waitFor({ timeout: 10_000 });
      await screenshot(page, 'station-offline');
      await page.getByRole('button', { name: 'Start maintenance' }).click();
      await page.getByText('Station in maintenance.').waitFor();
      expect((await sql(fx, `select maintenance from stations where sn = ?`, [kiosk.sn]))[0].maintenance).toBe(true);
    } finally {
      await page.close();
      await kiosk.stop().catch(() => undefined);
    }
  });

  it('when an admin opens each page of the console, then each renders without a script error, the map with Leaflet and its tiles or, without tiles, as a plain plot', async () => {
    const admin = await newAdmin(fx);
    const page = await newPage(fx);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await signIn(fx, page, admin.email, admin.secret);
    // The map: Leaflet (served by us) with OpenStreetMap tiles (here from a route: no internet in tests) ...
    await page.unroute(OSM_TILES);
    await page.route(OSM_TILES, (route) => route.fulfill({ contentType: 'image/png', body: Buffer.from(PNG_1PX, 'base64') }));
    await page.goto(`${fx.stack.baseUrl}/console/#/stations`);
    await page.locator('#map[data-mode="leaflet"] .leaflet-tile-loaded').first().waitFor();
    await screenshot(page, 'stations-map');
    // ... and a plain plot of the coordinates when the tiles cannot load.
    await page.unroute(OSM_TILES);
    await page.route(OSM_TILES, (route) => route.abort());
    await page.reload();
    await page.locator('#map[data-mode="plot-no-tiles"] .plot-dot').first().waitFor();
    const pages: [string, string][] = [
      ['#/stations', 'Stations'],
      ['#/users', 'Users'],
      ['#/queues/rentals', 'Rentals flagged by the eject watch'],
      ['#/queues/attention', 'Workflows needing attention'],
      ['#/queues/issues', 'Station issues open'],
    ];
    for (const [hash, heading] of pages) {
      await page.goto(`${fx.stack.baseUrl}/console/${hash}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    }
    await screenshot(page, 'station-issues');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('when fleet, water and EV each have something that needs a person, then the overview counts them with the oldest age from each product’s admin API, and each product’s list page shows the record', async () => {
    const admin = await newAdmin(fx);
    const other = await otherProductsNeedingAPerson(fx);
    const page = await newPage(fx);
    await signIn(fx, page, admin.email, admin.secret);
    for (const [key, oldest] of [
      ['fleet-overdue', /oldest 20 d/],
      ['fleet-disabled', /oldest \d+ (s|min)/],
      ['water-blocked', /oldest 2 h/],
      ['ev-faulted', /oldest 3 h/],
    ] as const) {
      const card = page.locator(`[data-queue="${key}"]`);
      await card.getByText(oldest).waitFor();
      expect(Number(await card.locator('.n').textContent())).toBeGreaterThanOrEqual(1);
    }
    await screenshot(page, 'overview-all-products');

    await page.locator('[data-queue="fleet-overdue"]').click();
    const loan = page.getByRole('row').filter({ hasText: `emi:${other.loanId}` });
    await loan.getByText(/1 overdue \(20 d\), owes 4225\.00 INR/).waitFor();
    expect(await loan.textContent()).toContain(other.serial);
    await page.goto(`${fx.stack.baseUrl}/console/#/water/transactions?otp_status=blocked`);
    await page
      .getByRole('row')
      .filter({ hasText: `dispense-otp:${other.reference}` })
      .getByText(/blocked · 3\/3 tries/)
      .waitFor();
    expect(await page.getByRole('row').filter({ hasText: other.reference }).textContent()).toContain('254******678');
    await page.goto(`${fx.stack.baseUrl}/console/#/ev/chargers?faulted=true`);
    await page.getByRole('row').filter({ hasText: other.charger }).getByText('Faulted').waitFor();
    await screenshot(page, 'ev-chargers');
    // The admin paths are platform admins' only: a customer's token is refused in each surface's own envelope.
    const customer = { Authorization: `Bearer ${await customerToken(fx.stack, randomUUID())}` };
    expect((await fetch(`${fx.stack.baseUrl}/fleet/api/admin/loans`, { headers: customer })).status).toBe(403);
    expect(await (await fetch(`${fx.stack.baseUrl}/water/api/admin/summary`, { headers: customer })).json()).toMatchObject({
      success: false,
      error: 'PERMISSION_DENIED',
    });
    await page.close();
  });

  it('when a KYC is submitted while the overview is open, then its count changes without a reload through server-sent events; rejecting it with a reason; without the stream the page polls', async () => {
    const admin = await newAdmin(fx);
    const page = await newPage(fx);
    await signIn(fx, page, admin.email, admin.secret);
    await page.locator('main[data-live="sse"]').waitFor();
    const before = Number(await page.locator('[data-queue="kyc"] .n').textContent());
    const customer = randomUUID();
    const name = `Reject ${customer.slice(0, 6)}`;
    await sql(fx, `insert into users (id, role, status, email) values (?, 'customer', 'active', ?)`, [customer, randomEmail()]);
    const kycId = randomUUID();
    await sql(
      fx,
      `insert into kyc_submissions (id, user_id, citizenship_number, full_name, document_front_url, document_back_url, status) values (?, ?, ?, ?, 'https://x/f.png', 'https://x/b.png', 'pending')`,
      [kycId, customer, `12-02-${customer.slice(0, 6)}`, name],
    );
    await page
      .locator('[data-queue="kyc"] .n')
      .getByText(String(before + 1), { exact: true })
      .waitFor();
    expect(await page.locator('#live-state').textContent()).toContain('live (server-sent events)');

    await page.locator('[data-queue="kyc"]').click();
    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByLabel('Reason').fill('the document photo is unreadable');
    await row.getByRole('button', { name: 'Reject' }).click();
    await page.getByText('KYC rejected.').waitFor();
    await screenshot(page, 'kyc-rejected');
    expect((await sql(fx, `select status from kyc_submissions where id = ?`, [kycId]))[0].status).toBe('rejected');

    // The stream is the admin API's, authorized like it: a customer's token is refused.
    const customerAuth = { Authorization: `Bearer ${await customerToken(fx.stack, randomUUID())}` };
    expect((await fetch(`${fx.stack.baseUrl}/api/admin/live/overview`, { headers: customerAuth })).status).toBe(403);
    // A stream that cannot be opened (a proxy that refuses it): the overview polls instead.
    await page.route('**/api/admin/live/**', (route) => route.abort());
    await page.goto(`${fx.stack.baseUrl}/console/#/overview`);
    await page.locator('main[data-live="poll"]').waitFor();
    expect(await page.locator('#live-state').textContent()).toContain('refreshes every 1 s');
    await page.close();
  });

  it('when a finance user signs in, then the console shows the money queues and reports but no stations, users or device commands, and the API refuses their device command with 403', async () => {
    const finance = await newAdmin(fx, 'finance');
    const { userId, refundId } = await pendingEsewaRefund(fx);
    const page = await newPage(fx);
    await signIn(fx, page, finance.email, finance.secret);
    await page.locator('[data-queue="refunds"]').waitFor();
    expect(await page.locator('#nav a').allTextContents()).toEqual(['Overview', 'Queues', 'Loans', 'Water']);
    expect(await page.locator('[data-queue="kyc"], [data-queue="ev-faulted"]').count()).toBe(0);
    await screenshot(page, 'finance-overview');
    // A station page is not theirs: the console goes back to the overview without a command button.
    await page.goto(`${fx.stack.baseUrl}/console/#/stations/ANY-1`);
    await page.waitForURL(/#\/overview$/);
    expect(await page.getByRole('button', { name: 'Reboot' }).count()).toBe(0);
    // The API decides: their own token reads the refunds queue and is refused a device command.
    const token = await page.evaluate<string>("JSON.parse(sessionStorage.getItem('stationflow.console.session')).access_token");
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    expect((await fetch(`${fx.stack.baseUrl}/api/admin/refunds/pending`, { headers: auth })).status).toBe(200);
    const refused = await fetch(`${fx.stack.baseUrl}/api/admin/stations/ANY-1/remote-command`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ command: 'reboot' }),
    });
    expect(refused.status).toBe(403);
    expect((await fetch(`${fx.stack.baseUrl}/ev/api/admin/chargers`, { headers: auth })).status).toBe(403);
    // Their queue: a refund rejected with a reason; the wallet keeps the money.
    await page.goto(`${fx.stack.baseUrl}/console/#/queues/refunds`);
    const row = page.getByRole('row').filter({ hasText: `refund:${refundId}` });
    await row.getByLabel('Reason').fill('the top-up was used for rentals');
    await row.getByRole('button', { name: 'Reject' }).click();
    await page.getByText('Refund rejected.').waitFor();
    await screenshot(page, 'refund-rejected');
    expect((await sql(fx, `select status from refund_requests where id = ?`, [refundId]))[0].status).toBe('rejected');
    expect((await createLedgerServices(fx.stack.orm).ledger.balances(userId, 'NPR')).walletMinor).toBe(25_000);
    await page.close();
  });

  it('when a customer signs in, then the console refuses them and ends the session; the pages come with a strict CSP', async () => {
    const res = await fetch(`${fx.stack.baseUrl}/console/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await fetch(`${fx.stack.baseUrl}/console`, { redirect: 'manual' })).headers.get('location')).toBe('/console/');
    const id = randomUUID();
    const email = randomEmail();
    await sql(fx, `insert into users (id, role, status, email) values (?, 'customer', 'active', ?)`, [id, email]);
    const page = await newPage(fx);
    await signIn(fx, page, email);
    await page.getByText('This account cannot open the console').waitFor();
    await screenshot(page, 'customer-refused');
    await eventually(async () => (await sql(fx, `select count(*)::int as n from auth_sessions where user_id = ? and revoked_at is null`, [id]))[0].n === 0);
    expect(await page.locator('#nav').isHidden()).toBe(true);
    await page.close();
  });
});
