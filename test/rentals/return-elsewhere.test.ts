import { describeShape, historyShape } from '../../scripts/bench/history-shape';
import { WorkflowNotFoundError } from '@temporalio/client';
import { notifyWorkflowId } from '../../src/modules/engagement';
import { rentalWorkflowId } from '../../src/modules/rentals';
import { ledgerInvariants } from '../money/support';
import { keepHistory } from '../support/record-history';
import { eventually } from '../support/stack';
import { api, balances, createRenter, inventoryOf, rentalInStatus, sql, startBody, startKiosk, useRentalStack } from './support';

/** A rider may bring the power bank back to any station: the rental settles there and the inventory follows the power bank. */
describe('rentals: a return at another station', () => {
  const fx = useRentalStack();

  it('when the power bank is returned at a different station, then the rental settles once and the power bank is counted there, not where it was taken', async () => {
    const other = await startKiosk(fx.stack);
    try {
      const renter = await createRenter(fx.stack, { walletMinor: 5000 });
      const available = async (sn: string) => (await api(fx.stack, renter.token).get(`/app/stations/${sn}`)).body.data.available_power_banks as number;
      const before = { here: await available(fx.sim.sn), there: await available(other.sn) };
      const started = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
      expect(started.status).toBe(201);
      const rental = started.body.data as { id: string; power_bank_sn: string; slot: number };
      expect(await available(fx.sim.sn)).toBe(before.here - 1);

      const slot = await other.returnPowerBank(rental.power_bank_sn, undefined, 90);
      const done = await rentalInStatus(fx.stack, rental.id, ['completed']);
      expect(done).toMatchObject({ payment_status: 'paid', station_sn: fx.sim.sn, return_station_sn: other.sn, return_slot_index: slot, fine_minor: '0' });
      const view = (await api(fx.stack, renter.token).get(`/rentals/${rental.id}`)).body.data;
      expect(view).toMatchObject({ status: 'completed', return_station_sn: other.sn, return_slot: slot });

      const inv = await inventoryOf(fx.stack, other.sn, rental.power_bank_sn);
      expect(inv.slot).toMatchObject({ index: slot, status: 'occupied', power_bank_sn: rental.power_bank_sn });
      expect(inv.powerBank).toMatchObject({ status: 'available', station_sn: other.sn, slot_index: slot });
      expect((await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn)).slot).toBeNull(); // its old bay is empty
      expect(await available(fx.sim.sn)).toBe(before.here - 1);
      expect(await available(other.sn)).toBe(before.there + 1);

      expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 3000, points: expect.any(Number) });
      expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
    } finally {
      await other.stop();
    }
  });

  it('when a plain pre-paid rental is ejected and returned at another station, then its run cost at most 5 workflow tasks and 30 history events', async () => {
    const other = await startKiosk(fx.stack);
    try {
      const renter = await createRenter(fx.stack, { walletMinor: 5000 });
      const started = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
      expect(started.status).toBe(201);
      const rental = started.body.data as { id: string; power_bank_sn: string };
      await other.returnPowerBank(rental.power_bank_sn, undefined, 90);
      await rentalInStatus(fx.stack, rental.id, ['completed']);
      const handle = fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rental.id));
      await handle.result();
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events[0].workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('rentalV2Workflow');
      const shape = historyShape(events);
      process.stdout.write(`plain rental: ${describeShape(shape)}\n`);
      expect(shape.workflowTasks).toBeLessThanOrEqual(5);
      expect(shape.events).toBeLessThanOrEqual(30);
      // Every database, ledger and device step ran as a local activity; no patch markers, no upsert of the starting status.
      expect(shape).toMatchObject({ activities: 0, patches: 0, signals: 2, updates: 1 });
      // The rider's pushes (ejected, returned) went out from the rental's own activities: no notify:<id> workflow each.
      const pushes = await eventually(async () => {
        const rows = await sql<{ notification_id: string; status: string }>(
          fx.stack,
          `select f.notification_id, f.status from fcm_logs f join notifications n on n.id = f.notification_id where n.dedupe_key like ? order by n.created_at`,
          [`%${rental.id}%`],
        );
        return rows.length === 2 && rows.every((p) => p.status === 'recorded') && rows;
      });
      expect(pushes.map((p) => p.status)).toEqual(['recorded', 'recorded']);
      for (const p of pushes)
        await expect(fx.stack.temporal.workflow.getHandle(notifyWorkflowId(p.notification_id)).describe()).rejects.toThrow(WorkflowNotFoundError);
      await keepHistory(
        fx.stack,
        handle,
        'rental-v2-returned-elsewhere',
        'rentalV2Workflow: pre-payment 1H, ejected, returned at once at another station, settled in one activity',
      );
    } finally {
      await other.stop();
    }
  });
});
