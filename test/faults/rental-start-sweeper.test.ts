import { randomUUID } from 'node:crypto';
import { rentalSweepScheduleId, rentalWorkflowId, type RentalInput, type RentalWorkflow } from '../../src/modules/rentals';
import { eventually } from '../support/stack';
import { api, createRenter, rentalInStatus, sql, startBody, useRentalStack } from '../rentals/support';
import { NOTHING_STRANDED, strandedState } from './support';

/**
 * The API wrote a rental's row and died before it started the workflow (or Temporal's answer was
 * lost). The row is `starting`, which holds the rider and the power bank. The rental sweeper (a
 * Temporal Schedule) finds it past the grace period: no run → failed `NOT_STARTED`, rider free; a
 * row whose run is alive is left to it.
 */
describe('faults: a rental row whose workflow was never started', () => {
  const fx = useRentalStack({ env: { RENTAL_START_GRACE_SECONDS: '60' } });

  /** A `starting` row as the API writes it, written `ageSeconds` ago, with no workflow behind it. */
  async function orphanRow(userId: string, ageSeconds: number) {
    const id = randomUUID();
    const [pkg] = await sql(fx.stack, `select id, price_minor, duration_minutes from rental_packages where id = ?`, [fx.pkg.hour]);
    await sql(
      fx.stack,
      `insert into rentals (id, user_id, station_sn, slot_index, power_bank_sn, package_id, payment_model, payment_mode, price_minor, duration_minutes, price_cap_minor, created_at)
       values (?, ?, ?, 1, ?, ?, 'pre_payment', 'points_first', ?, ?, ?, now() - make_interval(secs => ?))`,
      [id, userId, fx.sim.sn, `PB-ORPHAN-${id.slice(0, 8)}`, pkg.id, pkg.price_minor, pkg.duration_minutes, pkg.price_minor, ageSeconds],
    );
    return id;
  }

  /** One sweep run, to its end; a trigger the schedule did not take (CI once waited 20 s for one) is asked again. */
  const sweep = async () => {
    const schedule = fx.stack.temporal.schedule.getHandle(rentalSweepScheduleId(fx.stack.config.TEMPORAL_TASK_QUEUE));
    const before = (await schedule.describe()).info.numActionsTaken;
    let triggeredAt = Date.now();
    await schedule.trigger();
    await eventually(async () => {
      const d = await schedule.describe();
      if (d.info.numActionsTaken > before) return d.info.runningActions.length === 0;
      if (Date.now() - triggeredAt > 5_000) {
        triggeredAt = Date.now();
        await schedule.trigger();
      }
      return false;
    }, 40_000);
  };

  it('when a row has been starting past the grace period with no workflow, then the sweep fails it NOT_STARTED and the rider can rent again', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const orphan = await orphanRow(renter.id, 300);
    // The orphan holds the rider: one open rental per user.
    expect((await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.error.code).toBe('RENTAL_ALREADY_ACTIVE');
    await sweep();
    expect(await rentalInStatus(fx.stack, orphan, ['failed'])).toMatchObject({ failure_code: 'NOT_STARTED', payment_status: 'none' });
    const again = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    expect(again.status).toBe(201);
    expect(await strandedState(fx.stack, [renter.id])).toEqual({ ...NOTHING_STRANDED, stray: [`rentals ${again.body.data.id} active`] });
  });

  it('when a row is starting within the grace period, then the sweep leaves it alone', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const fresh = await orphanRow(renter.id, 5);
    await sweep();
    expect((await sql(fx.stack, 'select status from rentals where id = ?', [fresh]))[0].status).toBe('starting');
  });

  it('when a row has been starting past the grace period but its run is alive, then the sweep leaves it to the run', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const slow = await orphanRow(renter.id, 300);
    // A run nobody has picked up yet (no worker polls this queue): alive, not started moving.
    const handle = await fx.stack.temporal.workflow.start<RentalWorkflow>('rentalWorkflow', {
      workflowId: rentalWorkflowId(slow),
      taskQueue: `nobody-polls-${randomUUID()}`,
      args: [{ rentalId: slow } as RentalInput],
    });
    try {
      await sweep();
      expect((await sql(fx.stack, 'select status from rentals where id = ?', [slow]))[0].status).toBe('starting');
    } finally {
      await handle.terminate('test over');
    }
  });
});
