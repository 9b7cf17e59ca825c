import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { rentalWorkflowId } from '../../src/modules/rentals';
import { adminToken, eventually } from '../support/stack';
import { api, balances, createRenter, entriesOf, rentalInStatus, sql, startBody, useRentalStack } from '../rentals/support';
import { NOTHING_STRANDED, strandedState } from './support';

/**
 * Item 2 of issue 9: a rental whose step fails with an error that retrying cannot fix (here a
 * data error: a trigger refuses the settlement's row update with SQLSTATE 22023) is not a failed
 * run with money half-moved. It is parked `needs_attention`, listed at GET /api/admin/attention,
 * and an admin retries the step once the cause is fixed, or resolves it by hand.
 */
describe('faults: a rental that cannot go on waits for an admin', () => {
  const fx = useRentalStack();
  const desk = async () => {
    const token = await adminToken(fx.stack);
    const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
    return {
      list: () => auth(request(fx.stack.baseUrl).get('/api/admin/attention')),
      act: (kind: string, id: string, body: object) => auth(request(fx.stack.baseUrl).post(`/api/admin/attention/${kind}/${id}`)).send(body),
    };
  };

  /** Refuses, as bad data would, every update that completes this one rental. Dropped by the returned function. */
  async function blockSettlementOf(rentalId: string): Promise<() => Promise<void>> {
    const fn = `test_block_${rentalId.replace(/-/g, '')}`;
    await sql(
      fx.stack,
      `create function ${fn}() returns trigger language plpgsql as $$ begin
         if new.id = '${rentalId}' and new.status = 'completed' then raise exception 'settlement refused by test' using errcode = '22023'; end if;
         return new; end $$`,
    );
    await sql(fx.stack, `create trigger ${fn} before update on rentals for each row execute function ${fn}()`);
    return async () => {
      await sql(fx.stack, `drop trigger ${fn} on rentals`);
      await sql(fx.stack, `drop function ${fn}()`);
    };
  }

  /** A one-hour pre-paid rental returned at once whose settlement is refused: parked. */
  async function parkedRental() {
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const started = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    expect(started.status).toBe(201);
    const rental = started.body.data as { id: string; power_bank_sn: string };
    const unblock = await blockSettlementOf(rental.id);
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    const row = await rentalInStatus(fx.stack, rental.id, ['needs_attention', 'completed']);
    expect(row).toMatchObject({ status: 'needs_attention', attention_step: 'settle', attention_prev_status: 'active' });
    expect(row.attention_reason).toMatch(/^DataError: 22023: .*settlement refused by test/);
    return { renter, rental, unblock };
  }

  it('when a settlement hits a data error, then the rental is parked and listed; fixed and retried, it settles once', async () => {
    const { renter, rental, unblock } = await parkedRental();
    const admin = await desk();
    const listed = await admin.list();
    expect(listed.status).toBe(200);
    expect(listed.body.data.runs).toContainEqual({
      kind: 'rental',
      id: rental.id,
      workflow_id: rentalWorkflowId(rental.id),
      reason: expect.stringMatching(/^DataError: 22023/),
      step: 'settle',
      since: expect.any(String),
    });
    const described = await fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rental.id)).describe();
    expect(described.status.name).toBe('RUNNING');
    expect(described.searchAttributes.BusinessStatus).toEqual(['needs_attention']);

    // Retried before the cause is fixed: the step fails again and the rental is parked again.
    expect((await admin.act('rental', rental.id, { action: 'retry' })).body.data).toEqual({ accepted: true, action: 'retry' });
    await eventually(
      async () => (await sql(fx.stack, `select 1 from rental_events where rental_id = ? and type = 'attention_retry'`, [rental.id])).length === 1,
    );
    await rentalInStatus(fx.stack, rental.id, ['needs_attention']);

    await unblock();
    await eventually(async () => (await admin.act('rental', rental.id, { action: 'retry', note: 'trigger dropped' })).status === 200);
    await rentalInStatus(fx.stack, rental.id, ['completed']);
    expect(await fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rental.id)).result()).toMatchObject({
      phase: 'completed',
      settlement: { totalMinor: 0 },
    });
    // The pre-payment was the whole price (returned within the hour): charged once, nothing refunded twice.
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 3000, points: expect.any(Number) });
    expect((await entriesOf(fx.stack, `rental-charge:${rental.id}`)).map((e) => e.idempotency_key)).toEqual([`rental-charge:${rental.id}`]);
    expect(await entriesOf(fx.stack, `refund:rental-charge:${rental.id}`)).toEqual([]);
    expect((await admin.list()).body.data.runs.map((r: { id: string }) => r.id)).not.toContain(rental.id);
    expect(await strandedState(fx.stack, [renter.id])).toEqual(NOTHING_STRANDED);
  });

  it('when an admin resolves a parked rental by hand, then it ends resolved with who and why, and no money moves', async () => {
    const { renter, rental, unblock } = await parkedRental();
    const before = await balances(fx.stack, renter.id);
    const admin = await desk();
    const res = await admin.act('rental', rental.id, { action: 'resolve', note: 'settled at the counter' });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ accepted: true, action: 'resolve' });
    const row = await rentalInStatus(fx.stack, rental.id, ['resolved']);
    expect(row).toMatchObject({ attention_note: 'settled at the counter', attention_resolved_by: expect.any(String), ended_at: expect.any(String) });
    await fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rental.id)).result();
    expect(await balances(fx.stack, renter.id)).toEqual(before);
    // A second decision finds no run waiting for one.
    const again = await admin.act('rental', rental.id, { action: 'retry' });
    expect(again.status).toBe(404);
    await unblock();
    expect(await strandedState(fx.stack, [renter.id])).toEqual(NOTHING_STRANDED);
  });

  it('when the parked run was terminated from the Temporal UI, then it can still be resolved but not retried', async () => {
    const { rental, unblock } = await parkedRental();
    await unblock();
    await fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rental.id)).terminate('operator test');
    const admin = await desk();
    const retry = await admin.act('rental', rental.id, { action: 'retry' });
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe('RUN_GONE');
    expect((await admin.act('rental', rental.id, { action: 'resolve' })).status).toBe(200);
    expect(await rentalInStatus(fx.stack, rental.id, ['resolved'])).toMatchObject({ attention_resolved_by: expect.any(String) });
  });

  it('when the request is wrong, then the desk answers 4xx in the API envelope', async () => {
    const admin = await desk();
    expect((await admin.act('rental', randomUUID(), { action: 'retry' })).status).toBe(404);
    expect((await admin.act('bogus', randomUUID(), { action: 'retry' })).status).toBe(404);
    const bad = await admin.act('rental', randomUUID(), { action: 'explode' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
    expect((await admin.act('rental', 'not-a-uuid', { action: 'retry' })).status).toBe(400);
    const renter = await createRenter(fx.stack);
    expect((await request(fx.stack.baseUrl).get('/api/admin/attention').set('Authorization', `Bearer ${renter.token}`)).status).toBe(403);
    // An active rental is not waiting for a decision.
    const rich = await createRenter(fx.stack, { walletMinor: 5000 });
    const started = await api(fx.stack, rich.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    const busy = await admin.act('rental', started.body.data.id, { action: 'retry' });
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('NOT_NEEDING_ATTENTION');
    await fx.sim.returnPowerBank(started.body.data.power_bank_sn);
    await rentalInStatus(fx.stack, started.body.data.id, ['completed']);
  });
});
