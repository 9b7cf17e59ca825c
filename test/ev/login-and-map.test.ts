import { randomBytes } from 'node:crypto';
import { wsconnect } from '@nats-io/nats-core';
import { loadConfig } from '../../src/config';
import { appWebSocket } from '../../src/infra/nats-websocket';
import { NatsPublisher, QpayClient, qpayInvoiceWorkflowId, startQpaySandbox } from '../../src/modules/charging';
import { keepHistory } from '../support/record-history';
import { LedgerService, userWallet } from '../../src/modules/ledger';
import { eventually } from '../support/stack';
import { evApi, natsAs, NATS_SECRET, QPAY, signIn, useEvStack, type EvDriver } from './support';

const hex24 = () => randomBytes(12).toString('hex');

describe('EV sign-in, NATS push, the charger map and QPay top-ups (seed 000)', () => {
  const ev = useEvStack({ env: { EV_OTP_DIGITS: '4', OTP_IDENTIFIER_MAX_FAILURES: '3' } });
  const q = (sql: string, params: unknown[] = []) => ev.stack.orm.em.getConnection().execute(sql, params);

  it('when a new phone signs in with the 4-digit SMS code, then it gets a token, an empty profile and NATS credentials that work for its own topic only', async () => {
    const a = await signIn(ev);
    const b = await signIn(ev);
    expect(a.body).toMatchObject({
      profile: { name: '', email: '', phone: a.phone, balance: 0 },
      nats: { servers: ev.nats.wsUrl, topic: `ev.user.${a.userId}` },
    });
    expect(a.body.token).toEqual(expect.any(String));

    const nc = await natsAs(ev, a);
    const errors: string[] = [];
    void (async () => {
      for await (const s of nc.status()) if (s.type === 'error') errors.push(String((s as { error?: Error }).error?.message));
    })();
    const own = nc.subscribe(a.body.nats.topic, { max: 1 });
    const foreign = nc.subscribe(b.body.nats.topic);
    await nc.flush();
    const publisher = new NatsPublisher({ url: ev.nats.url, secret: NATS_SECRET, topicPrefix: 'ev.user' });
    await publisher.publish(a.userId, { replenishment: { status: 'success', amount: 5 } });
    for await (const m of own) expect(m.json()).toEqual({ replenishment: { status: 'success', amount: 5 } });
    nc.publish(b.body.nats.topic, 'forged');
    await nc.flush();
    await new Promise((r) => setImmediate(r));
    expect(foreign.isClosed()).toBe(true);
    expect(errors.join('\n')).toMatch(/Permissions Violation for Subscription/);
    await publisher.close();
    await nc.close();
    await expect(natsAs(ev, { ...a, body: { nats: { user: a.userId, pass: b.body.nats.pass } } })).rejects.toThrow(/Authorization Violation/);
  });

  it('when the app connects like a browser (NATS over the WebSocket listener, wsconnect), then it receives its own messages and may publish nowhere', async () => {
    const d = await signIn(ev);
    const { servers, topic, user, pass } = d.body.nats;
    expect(servers).toMatch(/^ws:\/\//);
    const nc = await wsconnect({ servers, user, pass, wsFactory: appWebSocket });
    const errors: string[] = [];
    void (async () => {
      for await (const s of nc.status()) if (s.type === 'error') errors.push(String((s as { error?: Error }).error?.message));
    })();
    const sub = nc.subscribe(topic, { max: 1 });
    await nc.flush();
    const publisher = new NatsPublisher({ url: ev.nats.url, secret: NATS_SECRET, topicPrefix: 'ev.user' });
    await publisher.publish(d.userId, { hello: 'app' });
    for await (const m of sub) expect(m.json()).toEqual({ hello: 'app' });
    nc.publish(topic, 'forged');
    await nc.flush();
    await eventually(async () => /Permissions Violation for Publish/.test(errors.join('\n')), 5_000);
    await Promise.all([publisher.close(), nc.close()]);
  });

  it('when a wrong code is typed or the phone is not Mongolian, then clear 400s in the plain error body', async () => {
    const bad = await evApi(ev.stack).post('/ev/api/user/otp-request').send({ phone: '+977 9812345678' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'body.phone' }] });
    const d = await signIn(ev);
    await evApi(ev.stack).post('/ev/api/user/otp-request').send({ phone: d.phone }); // within the cooldown: refused
    const wrong = await evApi(ev.stack).post('/ev/api/user/otp-check').send({ phone: d.phone, code: '12' });
    expect(wrong.status).toBe(400);
  });

  it('when the 4-digit code is allowed more than 3 failures a day, then the configuration is refused (attacker over 1 % in 30 days)', () => {
    expect(() => loadConfig({ ...process.env, EV_OTP_DIGITS: '4', OTP_IDENTIFIER_MAX_FAILURES: '4' })).toThrow(/OTP_IDENTIFIER_MAX_FAILURES/);
    expect(() => loadConfig({ ...process.env, EV_OTP_DIGITS: '6' })).not.toThrow();
  });

  it('when the map asks for a box, then it gets exactly the chargers inside (brute force over random chargers), with 400 for inverted or huge boxes', async () => {
    const tag = hex24().slice(0, 8);
    const chargers = Array.from({ length: 300 }, (_, i) => ({
      id: `${tag}${hex24().slice(0, 16)}`,
      n: `${tag}-${i}`,
      lng: 100 + Math.random() * 10,
      lat: -60 + Math.random() * 5,
    }));
    for (const c of chargers)
      await q(
        `insert into ev_chargers (id, device_number, price, waiting_price, lng, lat, state, password_hash) values (?, ?, 50000, 10000, ?, ?, 'Idle', 'x')`,
        [c.id, c.n, c.lng, c.lat],
      );
    for (let k = 0; k < 5; k++) {
      const [x1, x2] = [100 + Math.random() * 10, 100 + Math.random() * 10].sort((p, r) => p - r);
      const [y1, y2] = [-60 + Math.random() * 5, -60 + Math.random() * 5].sort((p, r) => p - r);
      const res = await evApi(ev.stack)
        .get('/ev/api/devices/by-location')
        .query({ 'bottom-left-longitude': x1, 'bottom-left-latitude': y1, 'upper-right-longitude': x2, 'upper-right-latitude': y2 });
      expect(res.status).toBe(200);
      const got = (res.body as { _id: string }[])
        .map((c) => c._id)
        .filter((id) => id.startsWith(tag))
        .sort();
      const want = chargers
        .filter((c) => c.lng >= x1 && c.lng <= x2 && c.lat >= y1 && c.lat <= y2)
        .map((c) => c.id)
        .sort();
      expect(got).toEqual(want);
    }
    const one = (
      await evApi(ev.stack)
        .get('/ev/api/devices/by-location')
        .query({ 'bottom-left-longitude': 99, 'bottom-left-latitude': -61, 'upper-right-longitude': 111, 'upper-right-latitude': -54 })
    ).body.find((c: { _id: string }) => c._id === chargers[0].id);
    expect(one).toEqual({
      _id: chargers[0].id,
      deviceNumber: chargers[0].n,
      price: 500,
      waitingPrice: 100,
      location: [chargers[0].lng, chargers[0].lat],
      state: 'Idle',
    });
    const box = (a: number, b: number, c: number, d: number) =>
      evApi(ev.stack)
        .get('/ev/api/devices/by-location')
        .query({ 'bottom-left-longitude': a, 'bottom-left-latitude': b, 'upper-right-longitude': c, 'upper-right-latitude': d });
    expect((await box(110, 50, 100, 40)).body).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ message: expect.stringMatching(/south-west/) }] });
    expect((await box(-170, -80, 170, 80)).status).toBe(400);
    expect((await box(69.9, 69.9, 127, 80)).status).toBe(200); // the seed's own example
    expect((await evApi(ev.stack).get('/ev/api/devices/by-location').query({ 'bottom-left-longitude': 'x' })).status).toBe(400);
    await q(`delete from ev_chargers where device_number like ?`, [`${tag}-%`]);
  });

  it('when 100,000 chargers exist, then a city-sized box is answered through the GiST index in milliseconds', async () => {
    const tag = hex24().slice(0, 8);
    await q(
      `insert into ev_chargers (id, device_number, price, waiting_price, lng, lat, state, password_hash)
       select ? || lpad(to_hex(g), 16, '0'), ? || '-' || g, 50000, 10000, 87 + random() * 33, 41 + random() * 11, 'Idle', 'x' from generate_series(1, 100000) g`,
      [tag, tag],
    );
    await q('analyze ev_chargers');
    const [plan] = await q(`explain (format json) select id from ev_chargers where point(lng, lat) <@ box(point(106.8, 47.85), point(107.0, 47.95))`);
    expect(JSON.stringify(plan)).toMatch(/ev_chargers_location_gist/);
    const started = performance.now();
    const res = await evApi(ev.stack)
      .get('/ev/api/devices/by-location')
      .query({ 'bottom-left-longitude': 106.8, 'bottom-left-latitude': 47.85, 'upper-right-longitude': 107, 'upper-right-latitude': 47.95 });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);
    await q(`delete from ev_chargers where device_number like ?`, [`${tag}-%`]);
  });

  const wallet = (d: EvDriver) => new LedgerService(ev.stack.orm).balance(userWallet(d.userId, 'MNT'));
  const replenish = (d: EvDriver, body: object) => evApi(ev.stack).post('/ev/api/customer/replenish').set('Authorization', `Bearer ${d.token}`).send(body);
  const status = (d: EvDriver, invoiceId: string) =>
    evApi(ev.stack).post(`/ev/api/customer/replenishment/${invoiceId}`).set('Authorization', `Bearer ${d.token}`);
  const callbackUrl = (invoiceId: string) => ev.qpay.invoices.get(invoiceId)!.callbackUrl;
  const keep = (invoiceId: string, name: string, what: string) =>
    keepHistory(ev.stack, ev.stack.temporal.workflow.getHandle(qpayInvoiceWorkflowId(invoiceId)), name, what);

  it('when a driver tops up, pays and QPay calls back twice, then the wallet is credited once and only the owner hears it on NATS', async () => {
    const [a, b] = [await signIn(ev), await signIn(ev)];
    const [na, nb] = [await natsAs(ev, a), await natsAs(ev, b)];
    const [subA, subB] = [na.subscribe(a.body.nats.topic, { max: 1 }), nb.subscribe(b.body.nats.topic, { max: 1 })];
    await Promise.all([na.flush(), nb.flush()]);
    expect((await replenish(a, { amount: 10.5 })).status).toBe(400);
    expect((await replenish(a, { amount: 10_069 })).status).toBe(200);
    const res = await replenish(a, { amount: 10_069 });
    expect(res.body).toMatchObject({
      invoice_id: expect.any(String),
      url: expect.stringContaining('/s/'),
      qr_text: expect.any(String),
      urls: expect.any(Array),
    });
    const invoiceId = res.body.invoice_id as string;
    expect((await status(b, invoiceId)).status).toBe(404);
    expect((await status(a, invoiceId)).body).toEqual({ replenishment: { status: 'pending', amount: 10_069 } });
    await ev.qpay.pay(invoiceId);
    expect(await ev.qpay.callback(invoiceId)).toBe(200); // QPay calls again: a duplicate
    for await (const m of subA) {
      // Named by its top-up (payload and Nats-Msg-Id): a retried publish is recognisable as the same message.
      expect(m.json()).toEqual({ replenishment: { status: 'success', amount: 10_069, invoice_id: invoiceId } });
      expect(m.headers?.get('Nats-Msg-Id')).toBe(`qpay:${invoiceId}`);
    }
    expect((await status(a, invoiceId)).body).toEqual({ replenishment: { status: 'success', amount: 10_069 } });
    await ev.qpay.callback(invoiceId);
    expect(await wallet(a)).toBe(1_006_900);
    await keep(invoiceId, 'qpay-invoice-paid-duplicate-callback', 'paid on the page, the callback twice: credited once, NATS message');
    const publisher = new NatsPublisher({ url: ev.nats.url, secret: NATS_SECRET, topicPrefix: 'ev.user' });
    await publisher.publish(b.userId, { marker: true }); // B's first message is this one: it never heard A's top-up
    for await (const m of subB) expect(m.json()).toEqual({ marker: true });
    await Promise.all([publisher.close(), na.close(), nb.close()]);
  });

  it('when a callback is forged or unpaid, nothing is credited; when the real one is lost, the manual check settles it through payment/check', async () => {
    const d = await signIn(ev);
    const invoiceId = (await replenish(d, { amount: 5_000 })).body.invoice_id as string;
    const url = new URL(callbackUrl(invoiceId));
    const call = (query: string) => fetch(`${ev.stack.baseUrl}${url.pathname}?${query}`);
    expect(await (await call(`ref=${url.searchParams.get('ref')}&token=forged`)).text()).toBe('SUCCESS');
    expect((await call('ref=ffffffffffffffffffffffff&token=x')).status).toBe(200);
    expect((await fetch(`${ev.stack.baseUrl}${url.pathname}${url.search}`, { method: 'POST' })).status).toBe(200); // the real URL, nothing paid
    expect((await status(d, invoiceId)).body.replenishment.status).toBe('pending');
    expect(await wallet(d)).toBe(0);
    await ev.qpay.pay(invoiceId, { lose: true });
    await eventually(async () => (await status(d, invoiceId)).body.replenishment.status === 'success', 15_000);
    expect(await wallet(d)).toBe(500_000);
    await keep(
      invoiceId,
      'qpay-invoice-forged-then-lost-callback-checked',
      'forged and unpaid callbacks, then paid with the callback lost: settled by the manual check',
    );
  });

  it('when the payer cancels on the QPay page, then the top-up is canceled and nothing is credited', async () => {
    const d = await signIn(ev);
    const res = await replenish(d, { amount: 2_000 });
    const page = await fetch(res.body.url);
    expect(await page.text()).toMatch(/Pay this invoice/);
    const cancel = await fetch(`${ev.qpay.url}/__sandbox/invoice/${res.body.invoice_id}/cancel`, { method: 'POST', redirect: 'manual' });
    expect(cancel.status).toBe(303);
    await eventually(async () => (await status(d, res.body.invoice_id)).body.replenishment.status === 'canceled', 15_000);
    await ev.qpay.pay(res.body.invoice_id); // too late: a cancelled invoice takes no payment
    expect(await wallet(d)).toBe(0);
    await keep(res.body.invoice_id, 'qpay-invoice-canceled-on-page', 'the payer cancelled on the QPay page: canceled, nothing credited');
  });

  it('when QPay refuses the invoice with its error answer, then the top-up is 502 GATEWAY_REFUSED and the row error; a 5xx on payment/check is retried and the payment still lands', async () => {
    const d = await signIn(ev);
    // Only this invoice's creation: earlier tests' runs may still be polling payment/check.
    ev.qpay.failNext(400, 'INVOICE_CODE_INVALID', 'invoice_code is not registered', (r) => r.method === 'POST' && r.path === '/invoice');
    const refused = await replenish(d, { amount: 3_000 });
    expect(refused.status).toBe(502);
    expect(JSON.stringify(refused.body)).toContain('GATEWAY_REFUSED');
    const [row] = await q(`select status, invoice_id from ev_replenishments where user_id = ? order by created_at desc limit 1`, [d.userId]);
    expect(row).toEqual({ status: 'error', invoice_id: null });
    const invoiceId = (await replenish(d, { amount: 3_000 })).body.invoice_id as string;
    ev.qpay.failNext(500, 'INTERNAL_ERROR', 'Internal server error', (r) => r.path === '/payment/check' && r.body.object_id === invoiceId);
    await ev.qpay.pay(invoiceId);
    await eventually(async () => (await status(d, invoiceId)).body.replenishment.status === 'success', 15_000);
    expect(await wallet(d)).toBe(300_000);
    expect(ev.qpay.faultsAnswered()).toBe(2); // the refusal and the 5xx on this invoice's payment/check
  });

  it('when a top-up whose run never started is heard of after QPAY_INVOICE_TTL_MINUTES, then its invoice is cancelled at QPay (DELETE) and it is canceled, nothing credited', async () => {
    const d = await signIn(ev);
    const [id, token] = [hex24(), 'ttl-callback-token-0123456789'];
    await q(`insert into ev_replenishments (id, user_id, amount_minor, callback_token, created_at) values (?, ?, 400000, ?, now() - interval '31 minutes')`, [
      id,
      d.userId,
      token,
    ]);
    const client = new QpayClient({ baseUrl: ev.qpay.baseUrl, username: QPAY.username, password: QPAY.password });
    const inv = await client.createInvoice({
      invoice_code: QPAY.invoiceCode,
      sender_invoice_no: id,
      invoice_receiver_code: 'terminal',
      invoice_description: 'EV wallet top-up 4000 MNT',
      amount: 4_000,
      callback_url: `https://ev.example.com/ev/api/qpay/callback?ref=${id}&token=${token}`,
    });
    await q(`update ev_replenishments set invoice_id = ? where id = ?`, [inv.invoice_id, id]);
    // The API died after creating the invoice; QPay's first word (a callback) comes after the TTL.
    expect((await fetch(`${ev.stack.baseUrl}/ev/api/qpay/callback?ref=${id}&token=${token}`)).status).toBe(200);
    const result = await ev.stack.temporal.workflow.getHandle(qpayInvoiceWorkflowId(inv.invoice_id)).result();
    expect(result).toMatchObject({ status: 'canceled' });
    expect(ev.qpay.invoices.get(inv.invoice_id)!.status).toBe('CANCELLED');
    expect((await status(d, inv.invoice_id)).body).toEqual({ replenishment: { status: 'canceled', amount: 4_000 } });
    expect(await wallet(d)).toBe(0);
  });

  it('when the access token is within 30 s of its expiry, then the QPay client refreshes it with the refresh token before using it, not with Basic credentials again', async () => {
    const sandbox = await startQpaySandbox({ ...QPAY, tokenTtlSeconds: 30 });
    try {
      const client = new QpayClient({ baseUrl: sandbox.baseUrl, username: QPAY.username, password: QPAY.password });
      // One request each (DELETE of an unknown invoice: QPay's 404, which cancelInvoice accepts).
      await client.cancelInvoice('00000000-0000-0000-0000-000000000000');
      expect(sandbox.grants).toEqual({ basic: 1, refresh: 0 });
      await client.cancelInvoice('00000000-0000-0000-0000-000000000000');
      expect(sandbox.grants).toEqual({ basic: 1, refresh: 1 });
      await client.cancelInvoice('00000000-0000-0000-0000-000000000000');
      expect(sandbox.grants).toEqual({ basic: 1, refresh: 2 });
    } finally {
      await sandbox.stop();
    }
  });
});
