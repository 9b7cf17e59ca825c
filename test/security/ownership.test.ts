import { randomUUID } from 'node:crypto';
import { as, uploadPng } from '../app/helpers';
import { bearer, createUser, usePaymentStack } from '../money/support';
import { api, createRenter, rentalInStatus, sql, startBody, useRentalStack } from '../rentals/support';

/**
 * Issue 10, "Ownership, tested route by route": another user's resource answers exactly as a
 * resource that does not exist (404), and the owner's resource is left as it was.
 */
describe('ownership of rentals: another user gets 404 on every rental route', () => {
  const fx = useRentalStack();

  it('when another user reads, extends, cancels, reports an issue on, pays the due of or asks a refund of my rental, then 404 each time, my rental is untouched and my refund request is not in their list', async () => {
    const owner = await createRenter(fx.stack, { walletMinor: 10_000 });
    const other = await createRenter(fx.stack, { walletMinor: 10_000 });
    const started = await api(fx.stack, owner.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    expect(started.status).toBe(201);
    const rental = started.body.data as { id: string; power_bank_sn: string };
    await rentalInStatus(fx.stack, rental.id, ['active']);
    const [charge] = await sql<{ id: string }>(fx.stack, `select id from journal_entries where idempotency_key = ?`, [`rental-charge:${rental.id}`]);
    expect(charge).toBeDefined();

    const them = api(fx.stack, other.token);
    const attempts = {
      detail: await them.get(`/rentals/${rental.id}`),
      extend: await them.post(`/rentals/${rental.id}/extend`, { package_id: fx.pkg.hour }),
      cancel: await them.post(`/rentals/${rental.id}/cancel`),
      reportIssue: await them.post(`/rentals/${rental.id}/report-issue`, { issue_type: 'not_charging' }),
      payDue: await them.post(`/rentals/${rental.id}/pay-due`, { payment_mode: 'wallet_only' }),
      location: await them.post(`/rentals/${rental.id}/location`, { latitude: 27.7, longitude: 85.3 }),
      refundOfCharge: await them.post(`/payment/refund/${charge.id}`, { reason: 'not mine' }),
    };
    const nowhere = await them.get(`/rentals/${randomUUID()}`);
    expect(nowhere.status).toBe(404);
    for (const [route, res] of Object.entries(attempts)) {
      expect({ route, status: res.status, success: res.body.success, body: res.status === 404 ? undefined : res.body }).toEqual({
        route,
        status: 404,
        success: false,
        body: undefined,
      });
    }
    expect((await them.get('/rentals/active')).body.data).toBeNull();
    expect((await them.get('/rentals/history')).body.data.results ?? []).toEqual([]);

    const [row] = await sql(fx.stack, `select status, user_id from rentals where id = ?`, [rental.id]);
    expect(row).toEqual({ status: 'active', user_id: owner.id });
    expect(await sql(fx.stack, `select 1 from rental_issues where rental_id = ?`, [rental.id])).toEqual([]);
    expect(await sql(fx.stack, `select 1 from refund_requests where user_id = ?`, [other.id])).toEqual([]);
    const mine = await api(fx.stack, owner.token).get(`/rentals/${rental.id}`);
    expect(mine.status).toBe(200);

    await fx.sim.returnPowerBank(rental.power_bank_sn);
    await rentalInStatus(fx.stack, rental.id, ['completed']);
    // My refund request is mine: another user's list does not show it.
    const refund = await api(fx.stack, owner.token).post(`/payment/refund/${charge.id}`, { reason: 'kiosk ate my card' });
    expect(refund.status).toBe(201);
    expect(JSON.stringify((await api(fx.stack, owner.token).get('/payment/refunds')).body.data)).toContain(charge.id);
    const theirRefunds = await them.get('/payment/refunds');
    expect(theirRefunds.status).toBe(200);
    expect(JSON.stringify(theirRefunds.body.data)).not.toContain(charge.id);
  });
});

describe('ownership of payment intents, refunds, notifications, KYC and uploads: another user gets 404', () => {
  const fx = usePaymentStack({ bridge: false });

  it('when another user asks the status of, cancels or verifies my top-up intent, then 404 each time and the intent stays pending', async () => {
    const owner = await createUser(fx.stack.orm);
    const other = await createUser(fx.stack.orm);
    const mine = await bearer(fx.stack, owner);
    const theirs = await bearer(fx.stack, other);
    const created = await fx.api().post('/api/payment/wallet/topup-intent').set(mine).send({ amount: '250.00', gateway: 'khalti' });
    expect(created.status).toBe(200);
    const intentId = created.body.data.intent_id ?? created.body.data.id;
    expect(intentId).toEqual(expect.any(String));

    const attempts = {
      status: await fx.api().get(`/api/payment/status/${intentId}`).set(theirs),
      cancel: await fx.api().post(`/api/payment/cancel/${intentId}`).set(theirs),
      verify: await fx.api().post('/api/payment/verify-topup').set(theirs).send({ intent_id: intentId }),
      refund: await fx.api().post(`/api/payment/refund/${intentId}`).set(theirs).send({}),
    };
    for (const [route, res] of Object.entries(attempts)) {
      expect({ route, status: res.status, success: res.body.success }).toEqual({ route, status: 404, success: false });
    }
    const still = await fx.api().get(`/api/payment/status/${intentId}`).set(mine);
    expect(still.status).toBe(200);
    expect(still.body.data.status).toBe('pending');
    await fx.api().post(`/api/payment/cancel/${intentId}`).set(mine);
  });

  it('when another user marks read or deletes my notification, then 404 and it stays unread in my inbox only', async () => {
    const owner = await createUser(fx.stack.orm);
    const other = await createUser(fx.stack.orm);
    const id = randomUUID();
    await sql(fx.stack, `insert into notifications (id, user_id, type, title, body) values (?, ?, 'system', 'Yours', 'only yours')`, [id, owner]);
    const theirs = await bearer(fx.stack, other);
    const read = await fx.api().post(`/api/user/notification/${id}`).set(theirs);
    const removed = await fx.api().delete(`/api/user/notification/${id}`).set(theirs);
    expect([read.status, removed.status]).toEqual([404, 404]);
    expect((await fx.api().get('/api/user/notifications').set(theirs)).body.data.results).toEqual([]);
    const inbox = await fx
      .api()
      .get('/api/user/notifications')
      .set(await bearer(fx.stack, owner));
    expect(inbox.body.data.results).toEqual([expect.objectContaining({ id, is_read: false })]);
  });

  it('when another user amends KYC or submits it with my uploads, then 404 KYC_NOT_FOUND and the same 404 as for an unknown file; my KYC is not theirs', async () => {
    const owner = await createUser(fx.stack.orm);
    const other = await createUser(fx.stack.orm);
    const mine = (await bearer(fx.stack, owner)).Authorization.replace('Bearer ', '');
    const theirs = (await bearer(fx.stack, other)).Authorization.replace('Bearer ', '');
    const front = await uploadPng(fx.stack, mine, 'kyc_document');
    const back = await uploadPng(fx.stack, mine, 'kyc_document');
    const submitted = await as(fx.stack, mine).post('/api/auth/kyc', {
      citizenship_number: '27-01-71-05847',
      document_front_url: front,
      document_back_url: back,
    });
    expect(submitted.status).toBe(201);

    const amend = await as(fx.stack, theirs).patch('/api/auth/kyc', { issued_district: 'Kaski' });
    expect(amend.status).toBe(404);
    expect(amend.body.error.code).toBe('KYC_NOT_FOUND');
    expect((await as(fx.stack, theirs).get('/api/auth/kyc-status')).body.data).toMatchObject({ status: 'not_submitted', submission: null });

    const withMine = await as(fx.stack, theirs).post('/api/auth/kyc', {
      citizenship_number: '27-01-71-05848',
      document_front_url: front,
      document_back_url: back,
    });
    const withNone = await as(fx.stack, theirs).post('/api/auth/kyc', {
      citizenship_number: '27-01-71-05848',
      document_front_url: `${front}x`,
      document_back_url: `${back}x`,
    });
    // Someone else's upload answers exactly as a file that does not exist: 404 UPLOAD_NOT_FOUND, nothing more.
    expect(withMine.status).toBe(404);
    expect(withMine.body.error.code).toBe('UPLOAD_NOT_FOUND');
    expect(withNone.status).toBe(404);
    expect(withMine.body.error).toEqual(withNone.body.error);
    expect(await sql(fx.stack, `select 1 from kyc_submissions where user_id = ?`, [other])).toEqual([]);
  });
});
