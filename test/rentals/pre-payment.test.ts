import type { KioskSimulator } from '../../src/sim/kiosk-simulator';
import { ledgerInvariants } from '../money/support';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { api, balances, createRenter, ensurePackages, entriesOf, inventoryOf, rentalInStatus, sql, startBody, startKiosk } from './support';

/** Pre-payment rentals end to end over HTTP: real broker, simulator, Temporal and ledger. */
describe('pre-payment rental', () => {
  let stack: TestStack;
  let sim: KioskSimulator;
  let pkg: { hour: string; twoHours: string };

  beforeAll(async () => {
    stack = await startTestStack();
    pkg = await ensurePackages(stack);
    sim = await startKiosk(stack);
  });
  afterAll(async () => {
    await sim?.stop();
    await stack?.close();
  });

  it('when a renter with wallet money starts and returns, then the price is taken before the ejection, the inventory follows and the return settles with +5 points', async () => {
    const renter = await createRenter(stack, { walletMinor: 10_000 });
    const res = await api(stack, renter.token).post('/rentals/start', startBody(sim, pkg.hour));
    expect(res.status).toBe(201);
    const rental = res.body.data;
    expect(rental).toMatchObject({ status: 'active', payment_status: 'paid', payment_model: 'pre_payment', station_sn: sim.sn, charges: { paid: { amount: '20.00', amount_minor: 2000 } } });
    expect(rental.slot).toEqual(expect.any(Number));
    expect(await balances(stack, renter.id)).toEqual({ walletMinor: 8000, points: 0 });
    // The bay is empty and the power bank is out, rented.
    await eventually(async () => (await inventoryOf(stack, sim.sn, rental.power_bank_sn)).slot === null);
    expect((await inventoryOf(stack, sim.sn, rental.power_bank_sn)).powerBank).toMatchObject({ status: 'rented', station_sn: null });
    expect((await api(stack, renter.token).get('/rentals/active')).body.data).toMatchObject({ id: rental.id, status: 'active' });

    const slot = await sim.returnPowerBank(rental.power_bank_sn);
    const done = await rentalInStatus(stack, rental.id, ['completed']);
    expect(done).toMatchObject({ payment_status: 'paid', return_station_sn: sim.sn, return_slot_index: slot, fine_minor: '0', due_minor: '0' });
    expect(await balances(stack, renter.id)).toEqual({ walletMinor: 8000, points: 5 });
    expect((await inventoryOf(stack, sim.sn, rental.power_bank_sn)).powerBank).toMatchObject({ status: 'available', station_sn: sim.sn, slot_index: slot });
    expect((await entriesOf(stack, `rental-charge:${rental.id}`)).length).toBe(1);
    const notes = await eventually(async () => {
      const rows = await sql(stack, `select type, title from notifications where user_id = ? order by created_at`, [renter.id]);
      return rows.length >= 2 ? rows : undefined;
    });
    expect(notes.map((n) => n.type)).toEqual(['rental_status', 'rental_status']);
    expect((await api(stack, renter.token).get('/rentals/active')).body.data).toBeNull();
    expect(await ledgerInvariants(stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });
});
