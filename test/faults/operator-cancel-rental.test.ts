import request from 'supertest';
import { rentalWorkflowId } from '../../src/modules/rentals';
import { adminToken, eventually } from '../support/stack';
import { api, balances, createRenter, entriesOf, inventoryOf, rentalInStatus, sql, startBody, startKiosk, useRentalStack } from '../rentals/support';
import { keepHistory } from '../support/record-history';
import { NOTHING_STRANDED, strandedState } from './support';

/**
 * Item 1 of issue 9: an operator cancels a rental's run from the Temporal UI. During the eject the
 * compensations still run (they are registered before their step and run where a cancellation
 * cannot stop them): the charge is refunded. Once the rider holds the power bank nothing can be
 * undone, so the rental is parked for admins instead of left open.
 */
describe('faults: an operator cancels a rental in the Temporal UI', () => {
  const fx = useRentalStack();

  it('when the run is cancelled while the kiosk has not answered the eject, then the charge is refunded and the rental fails CANCELLED', async () => {
    const silent = await startKiosk(fx.stack, { mode: 'silent' });
    try {
      const renter = await createRenter(fx.stack, { walletMinor: 5000 });
      const answer = api(fx.stack, renter.token)
        .post('/rentals/start', startBody(silent, fx.pkg.hour))
        .then((r) => r);
      // The command is out and the charge taken: the run waits for the ack.
      const [command] = await eventually(async () => {
        const rows = await sql(fx.stack, `select id from device_commands where station_sn = ? and status = 'sent'`, [silent.sn]);
        return rows.length ? rows : undefined;
      });
      const rentalId = String(command.id)
        .replace(/^rental:/, '')
        .replace(/#\d+$/, '');
      await eventually(async () => (await entriesOf(fx.stack, `rental-charge:${rentalId}`)).length === 1);
      await fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rentalId)).cancel();

      const res = await answer;
      expect(res.status).toBe(502);
      expect(res.body.error).toMatchObject({ code: 'CANCELLED', details: { rental_id: rentalId } });
      const rental = await rentalInStatus(fx.stack, rentalId, ['failed']);
      expect(rental).toMatchObject({ payment_status: 'refunded', failure_code: 'CANCELLED' });
      expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 5000, points: 0 });
      expect((await entriesOf(fx.stack, `refund:rental-charge:${rentalId}`)).length).toBe(1);
      expect((await inventoryOf(fx.stack, silent.sn, rental.power_bank_sn)).slot).toMatchObject({ status: 'occupied' });
      expect(await strandedState(fx.stack, [renter.id])).toEqual(NOTHING_STRANDED);
      await keepHistory(
        fx.stack,
        fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rentalId)),
        'rental-cancelled-during-eject',
        'pre-payment 1H at a silent kiosk, run cancelled by an operator while waiting for the ack: charge refunded in a non-cancellable scope, eject update answered CANCELLED, run ended cancelled',
      );
    } finally {
      await silent.stop();
    }
  });

  it('when the run is cancelled while the rider holds the power bank, then the rental is parked for admins and can be resolved there', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const started = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    expect(started.status).toBe(201);
    const rental = started.body.data as { id: string; power_bank_sn: string };
    await fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rental.id)).cancel();

    const row = await rentalInStatus(fx.stack, rental.id, ['needs_attention']);
    expect(row).toMatchObject({ attention_step: 'hold', attention_reason: expect.stringMatching(/cancelled in the Temporal UI/) });
    const admin = `Bearer ${await adminToken(fx.stack)}`;
    const desk = (await request(fx.stack.baseUrl).get('/api/admin/attention').set('Authorization', admin)).body.data.runs;
    expect(desk).toContainEqual(expect.objectContaining({ kind: 'rental', id: rental.id, step: 'hold' }));
    // The run is gone (cancelled): an admin settles by hand and resolves.
    const resolved = await request(fx.stack.baseUrl)
      .post(`/api/admin/attention/rental/${rental.id}`)
      .set('Authorization', admin)
      .send({ action: 'resolve', note: 'rider returned it at the counter' });
    expect(resolved.status).toBe(200);
    await rentalInStatus(fx.stack, rental.id, ['resolved']);
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 3000, points: 0 }); // the pre-payment stands
    expect(await strandedState(fx.stack, [renter.id])).toEqual(NOTHING_STRANDED);
  });
});
