import { randomUUID } from 'node:crypto';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { useTestStack } from '../support/fixtures';
import { adminToken, customerToken } from '../support/stack';
import { bearer, createUser, fundWallet } from './support';

describe('calculate-options, admin credit and wallet reads over HTTP', () => {
  const fx = useTestStack({ worker: false, bridge: false }, ({ stack }) => ({ money: createLedgerServices(stack.orm) }));
  const as = (userId: string) => bearer(fx.stack, userId);

  async function createPackage(priceMinor: number) {
    const id = randomUUID();
    await fx.stack.orm.em
      .getConnection()
      .execute(`insert into rental_packages (id, code, name, duration_minutes, price_minor) values (?, ?, ?, 60, ?)`, [
        id,
        `P${id.slice(0, 8)}`,
        'Test hour',
        priceMinor,
      ]);
    return id;
  }

  it('when options are calculated, then points go first, the wallet next, and the shortfall suggests a top-up', async () => {
    const userId = await createUser(fx.stack.orm);
    await fundWallet(fx.money.ledger, userId, 1000);
    await fx.money.points.award({ key: `test-points:${userId}`, userId, points: 40, reason: 'adjustment', description: 'test' });
    const pkg = await createPackage(2000);
    const auth = await as(userId);
    const calc = (body: object) => fx.api().post('/api/payment/calculate-options').set(auth).send(body);

    const pre = await calc({ scenario: 'pre_payment', package_id: pkg });
    expect(pre.status).toBe(200);
    expect(pre.body.data).toMatchObject({
      amount: '20.00',
      is_sufficient: false,
      shortfall: '6.00',
      suggested_topup: '10.00',
      breakdown: { points_used: 40, points_value: '4.00', wallet_used: '10.00' },
      package: { id: pkg },
    });
    expect((await calc({ scenario: 'pre_payment', package_id: pkg, payment_mode: 'wallet_only' })).body.data).toMatchObject({
      shortfall: '10.00',
      breakdown: { points_used: 0 },
    });
    expect((await calc({ scenario: 'pre_payment', package_id: pkg, payment_mode: 'points_only' })).body.data).toMatchObject({
      shortfall: '16.00',
      breakdown: { wallet_used: '0.00' },
    });
    const cheap = await calc({ scenario: 'pre_payment', package_id: await createPackage(1200) });
    expect(cheap.body.data).toMatchObject({ is_sufficient: true, shortfall: '0.00', breakdown: { points_used: 40, wallet_used: '8.00' } });
    expect((await calc({ scenario: 'wallet_topup', amount: '14.00' })).body.data).toMatchObject({ is_sufficient: true, breakdown: { wallet_used: '10.00' } });

    // Post-payment: an unpaid due (negative wallet) is what is owed, and a negative wallet pays nothing.
    const debtor = await createUser(fx.stack.orm);
    await fx.money.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId: debtor, amountMinor: 1500, allowDue: true });
    const post = await fx
      .api()
      .post('/api/payment/calculate-options')
      .set(await as(debtor))
      .send({ scenario: 'post_payment' });
    expect(post.body.data).toMatchObject({ amount: '15.00', is_sufficient: false, shortfall: '15.00', balances: { due_minor: 1500 } });
  });

  it('when calculate-options gets bad input, then it answers 400/404 in the chargeghar envelope', async () => {
    const userId = await createUser(fx.stack.orm);
    const auth = await as(userId);
    const calc = (body: object) => fx.api().post('/api/payment/calculate-options').set(auth).send(body);
    expect((await calc({ scenario: 'pre_payment' })).body).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
    expect((await calc({ scenario: 'pre_payment', package_id: randomUUID() })).status).toBe(404);
    expect((await calc({ scenario: 'post_payment', rental_id: 'r-1' })).body.error.details[0].field).toBe('body.rental_id');
    expect((await calc({ scenario: 'post_payment', rental_id: randomUUID() })).status).toBe(404);
    expect((await calc({ scenario: 'wallet_topup', amount: '1.234' })).status).toBe(400);
    expect((await calc({ scenario: 'nope', amount: 5 })).body.error.details[0].field).toBe('body.scenario');
    expect((await fx.api().post('/api/payment/calculate-options').send({ scenario: 'wallet_topup', amount: 5 })).status).toBe(401);
  });

  it('when an admin adds balance, then one audited entry credits the wallet and a repeat of the request credits nothing', async () => {
    const userId = await createUser(fx.stack.orm);
    const adminId = randomUUID();
    const adminAuth = await adminToken(fx.stack, adminId);
    const add = (body: object, token = adminAuth) => fx.api().post(`/api/admin/users/${userId}/add-balance`).set('Authorization', `Bearer ${token}`).send(body);
    const requestId = `req-${randomUUID()}`;
    const first = await add({ amount: '150.50', reason: 'compensation for a stuck slot', request_id: requestId });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ amount: '150.50', replayed: false, added_by: adminId, wallet: { balance: '150.50' } });
    const again = await add({ amount: '150.50', reason: 'compensation for a stuck slot', request_id: requestId });
    expect(again.body.data).toMatchObject({ transaction_id: first.body.data.transaction_id, replayed: true, wallet: { balance: '150.50' } });
    expect((await add({ amount: '99.00', reason: 'other', request_id: requestId })).status).toBe(409);
    const [audit] = await fx.stack.orm.em
      .getConnection()
      .execute(`select created_by, metadata, type from journal_entries where id = ?`, [first.body.data.transaction_id]);
    expect(audit).toMatchObject({
      created_by: adminId,
      type: 'admin_credit',
      metadata: { reason: 'compensation for a stuck slot', request_id: requestId, admin_id: adminId },
    });

    expect((await add({ amount: '10', reason: 'no key' })).status).toBe(400);
    expect((await add({ amount: '-10', reason: 'negative', request_id: `req-${randomUUID()}` })).status).toBe(400);
    expect((await add({ amount: '10', reason: 'customer', request_id: `req-${randomUUID()}` }, await customerToken(fx.stack))).status).toBe(403);
    const ghost = await fx
      .api()
      .post(`/api/admin/users/${randomUUID()}/add-balance`)
      .set('Authorization', `Bearer ${await adminToken(fx.stack)}`)
      .set('Idempotency-Key', `req-${randomUUID()}`)
      .send({ amount: 5, reason: 'ghost user' });
    expect(ghost.status).toBe(404);
  });

  it('when a user lists transactions, then wallet movements come back filtered and paginated', async () => {
    const userId = await createUser(fx.stack.orm);
    await fundWallet(fx.money.ledger, userId, 5000);
    await fx.money.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId, amountMinor: 2000, mode: 'wallet_only' });
    await fx.stack.orm.em
      .getConnection()
      .execute(
        `insert into payment_intents (id, user_id, gateway, amount_minor, status, failure_reason, expires_at) values (?, ?, 'esewa', 10000, 'expired', 'expired', now())`,
        [randomUUID(), userId],
      );
    const list = await fx
      .api()
      .get('/api/user/transactions')
      .set(await as(userId));
    expect(list.body.data.pagination.total).toBe(3);
    expect(list.body.data.results.map((t: { type: string; status: string; amount: string }) => [t.type, t.status, t.amount])).toEqual(
      expect.arrayContaining([
        ['topup', 'success', '50.00'],
        ['rental_charge', 'success', '-20.00'],
        ['topup', 'failed', '100.00'],
      ]),
    );
    const failed = await fx
      .api()
      .get('/api/user/transactions?status=failed')
      .set(await as(userId));
    expect(failed.body.data.results).toEqual([expect.objectContaining({ gateway: 'esewa', failure_reason: 'expired' })]);
    const page = await fx
      .api()
      .get('/api/user/transactions?type=topup&page=2&page_size=1')
      .set(await as(userId));
    expect(page.body.data).toMatchObject({ results: [expect.anything()], pagination: { total: 2, page: 2 } });
    expect(
      (
        await fx
          .api()
          .get('/api/user/transactions?start_date=2999-01-01')
          .set(await as(userId))
      ).body.data.results,
    ).toEqual([]);
    expect(
      (
        await fx
          .api()
          .get('/api/user/transactions?status=weird')
          .set(await as(userId))
      ).status,
    ).toBe(400);
  });

  it('when packages and methods are read, then prices are NPR strings and gateways carry limits', async () => {
    const pkg = await createPackage(5000);
    const packages = await fx.api().get('/api/payment/packages');
    expect(packages.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ id: pkg, price: '50.00', price_minor: 5000 })]));
    const methods = await fx.api().get('/api/payment/methods');
    expect(methods.body.data.map((m: { gateway: string; enabled: boolean }) => [m.gateway, m.enabled])).toEqual([
      ['khalti', true],
      ['esewa', true],
      ['stripe', true],
    ]);
  });

  it('when the wallet is read at both seed paths, then it shows the ledger balance and points', async () => {
    const userId = await createUser(fx.stack.orm);
    await fundWallet(fx.money.ledger, userId, 12_050);
    await fx.money.points.onUserRegistered(userId, 'NPR');
    for (const path of ['/api/user/wallet', '/api/users/wallet']) {
      const res = await fx
        .api()
        .get(path)
        .set(await as(userId));
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ currency: 'NPR', balance: '120.50', balance_minor: 12_050, points: 50 });
    }
    expect(await fx.money.ledger.walletSummary(userId, 'NPR')).toEqual({
      currency: 'NPR',
      balance: '120.50',
      balance_minor: 12_050,
      due: '0.00',
      due_minor: 0,
      points: 50,
      points_value: '5.00',
    });
  });
});
