import type { SimMode } from '../../src/sim/kiosk-simulator';
import { ledgerInvariants } from '../money/support';
import { keepHistory } from '../support/record-history';
import { api, balances, createRenter, entriesOf, inventoryOf, rentalInStatus, sql, startBody, useRentalStack } from './support';

/** No charge without an ejection: a silent or failing kiosk refunds what was taken and leaves the inventory as it was. */
describe('rental eject failures', () => {
  const fx = useRentalStack(); // DEVICE_ACK_TIMEOUT_MS is 2 s in tests

  /** Starts a rental while the kiosk is in `mode` (back to normal after). */
  async function startWhileKiosk(mode: SimMode, token: string, body: object) {
    fx.sim.setMode(mode);
    try {
      return await api(fx.stack, token).post('/rentals/start', body);
    } finally {
      fx.sim.setMode('normal');
    }
  }

  const slotsOf = (sn: string) =>
    sql(fx.stack, `select s.index, s.status, s.power_bank_sn from slots s join stations st on st.id = s.station_id where st.sn = ? order by s.index`, [sn]);

  it.each([
    ['silent', 504, 'DEVICE_TIMEOUT'],
    ['fail', 502, 'DEVICE_ERROR'],
  ] as const)(
    'when the kiosk is %s, then %i %s, the pre-payment is refunded (points and wallet) and the inventory is unchanged',
    async (mode, status, code) => {
      const renter = await createRenter(fx.stack, { walletMinor: 3000, points: 80 });
      const before = { balances: await balances(fx.stack, renter.id), slots: await slotsOf(fx.sim.sn) };
      const res = await startWhileKiosk(mode, renter.token, startBody(fx.sim, fx.pkg.hour));
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ success: false, error: { code, details: { rental_id: expect.any(String) } } });
      const rentalId = res.body.error.details.rental_id;
      const [rental] = await sql(fx.stack, 'select * from rentals where id = ?', [rentalId]);
      expect(rental).toMatchObject({ status: 'failed', payment_status: 'refunded', failure_code: code });
      // Charged before the eject, reversed after it failed: net nothing.
      expect(await balances(fx.stack, renter.id)).toEqual(before.balances);
      expect((await entriesOf(fx.stack, `rental-charge:${rentalId}`)).length).toBe(1);
      expect((await entriesOf(fx.stack, `refund:rental-charge:${rentalId}`)).length).toBe(1);
      expect(await slotsOf(fx.sim.sn)).toEqual(before.slots);
      expect((await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn)).powerBank?.status ?? 'available').toBe('available');
      expect((await sql(fx.stack, 'select status from device_commands where id = ?', [`rental:${rentalId}#1`]))[0].status).toBe(
        mode === 'silent' ? 'timeout' : 'failed',
      );
      // The user is not blocked: the failed rental is closed.
      expect((await api(fx.stack, renter.token).get('/rentals/active')).body.data).toBeNull();
      expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
    },
  );

  it('when the kiosk ejects but its ack is lost, then its slot event shows the bay empty and the rental goes on, charged once', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 3000 });
    const res = await startWhileKiosk('drop-ack', renter.token, startBody(fx.sim, fx.pkg.hour, 'pre_payment', 'wallet_only'));
    expect(res.status).toBe(201);
    const rental = res.body.data;
    expect(rental).toMatchObject({ status: 'active', power_bank_sn: expect.any(String) });
    // The command itself timed out; the bay told the truth.
    expect((await sql(fx.stack, 'select status from device_commands where id = ?', [`rental:${rental.id}#1`]))[0].status).toBe('timeout');
    expect((await entriesOf(fx.stack, `rental-charge:${rental.id}`)).length).toBe(1);
    expect(await entriesOf(fx.stack, `refund:rental-charge:${rental.id}`)).toEqual([]);
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    await rentalInStatus(fx.stack, rental.id, ['completed']);
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when the kiosk misses the eject command (it was reconnecting), then the command goes out again with the same id and the rental starts, charged once', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 3000 });
    const before = await slotsOf(fx.sim.sn);
    const res = await startWhileKiosk('miss-command', renter.token, startBody(fx.sim, fx.pkg.hour, 'pre_payment', 'wallet_only'));
    expect(res.status).toBe(201);
    const rental = res.body.data;
    expect(rental).toMatchObject({ status: 'active', payment_status: 'paid' });
    // One command, acked: the resend is the same command, not a second eject.
    expect(await sql(fx.stack, 'select id, status from device_commands where id like ?', [`rental:${rental.id}#%`])).toEqual([
      { id: `rental:${rental.id}#1`, status: 'acked' },
    ]);
    const after = await slotsOf(fx.sim.sn);
    expect(after.filter((s) => s.status === 'empty').length - before.filter((s) => s.status === 'empty').length).toBe(1);
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 1000, points: 0 });
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    await rentalInStatus(fx.stack, rental.id, ['completed']);
    expect((await entriesOf(fx.stack, `rental-charge:${rental.id}`)).length).toBe(1);
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
    await keepHistory(
      fx.stack,
      fx.stack.temporal.workflow.getHandle(`rental:${rental.id}`),
      'rental-v2-eject-command-resent',
      'pre-payment 1H wallet only; the kiosk missed the first delivery of the eject command, the resend (same id) was acked; returned, completed',
    );
  });

  it('when a post-payment eject fails, then nothing was taken and the renter can start again at once', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 0 });
    fx.sim.setMode('fail');
    const failed = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'post_payment'));
    fx.sim.setMode('normal');
    expect(failed.status).toBe(502);
    expect((await sql(fx.stack, 'select payment_status from rentals where id = ?', [failed.body.error.details.rental_id]))[0].payment_status).toBe('none');
    expect((await sql(fx.stack, 'select count(*)::int n from journal_entries where user_id = ?', [renter.id]))[0].n).toBe(0);
    const again = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'post_payment'));
    expect(again.status).toBe(201);
    await fx.sim.returnPowerBank(again.body.data.power_bank_sn);
    await rentalInStatus(fx.stack, again.body.data.id, ['completed']);
  });
});
