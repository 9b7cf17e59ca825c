import request from 'supertest';
import type { KioskSimulator } from '../../src/sim/kiosk-simulator';
import { ledgerInvariants } from '../money/support';
import { adminToken, eventually, startTestStack, type TestStack } from '../support/stack';
import { createTimeSkippingEnv, type TimeSkippingEnv } from '../support/time-skipping';
import { api, balances, createRenter, ensurePackages, sql, startBody, startKiosk, type Renter } from './support';

const SEC = 1000;
const MIN = 60 * SEC;

/**
 * The eject's ack AND its slot event are lost (the kiosk's link drops right after the latch
 * opened): the rental fails and is refunded, then the workflow watches the bay with 30 s durable
 * timers for 10 minutes (the defaults). Real broker, kiosk simulator, bridge, PostgreSQL and
 * ledger; Temporal's time-skipping server moves the watch's clock (`env.sleep`).
 */
describe('watching the bay after an eject timeout', () => {
  let env: TimeSkippingEnv;
  let stack: TestStack;
  let pkg: { hour: string; twoHours: string };
  let admin: string;
  const sims: KioskSimulator[] = [];

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    stack = await startTestStack({ temporalServer: { client: env.client, nativeConnection: env.nativeConnection } });
    pkg = await ensurePackages(stack);
    admin = await adminToken(stack);
  }, 60_000);
  afterAll(async () => {
    for (const sim of sims) await sim.stop();
    await stack?.close();
    await env?.teardown();
  });

  /** A kiosk that reports its bays only when the test says so (sendHeartbeat), so the test decides what the watch sees and when. */
  const kiosk = async (mode: 'drop-ack-and-event' | 'silent') => {
    const sim = await startKiosk(stack, { mode, heartbeatMs: 0 });
    sims.push(sim);
    return sim;
  };
  const rentalRow = async (id: string) => (await sql(stack, 'select * from rentals where id = ?', [id]))[0];
  const slotRow = async (sn: string, index: number) =>
    (
      await sql(stack, 'select s.power_bank_sn, s.reported_at from slots s join stations st on st.id = s.station_id where st.sn = ? and s.index = ?', [
        sn,
        index,
      ])
    )[0];
  const eventsOf = (id: string) => sql(stack, 'select type, data from rental_events where rental_id = ? order by id', [id]);
  const notesOf = (userId: string) => sql(stack, 'select type, title, data from notifications where user_id = ? order by created_at', [userId]);
  const ledgerOf = (userId: string, rentalId: string) =>
    sql(stack, `select idempotency_key, type from journal_entries where user_id = ? and idempotency_key like ? order by created_at`, [userId, `%${rentalId}%`]);
  const reviewList = async (query = '') => {
    const res = await api(stack, admin).get(`/admin/rentals/review?page_size=100${query}`);
    expect(res.status).toBe(200);
    return res.body.data.results as Record<string, any>[];
  };
  const workflow = (rentalId: string) => env.client.workflow.getHandle(`rental:${rentalId}`);

  /** The watch's first durable timer is running (after the ack timeout's and the grace's). */
  const watchTimerRunning = (rentalId: string) =>
    eventually(async () => {
      const events = (await workflow(rentalId).fetchHistory()).events ?? [];
      const started = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'ejectWatchStarted');
      return started >= 0 && events.slice(started).some((e) => e.timerStartedEventAttributes);
    });
  const completed = (rentalId: string) => eventually(async () => (await workflow(rentalId).describe()).status.name === 'COMPLETED');

  /**
   * Starts a rental the kiosk does not answer: 504, failed, refunded. The run's ack timeout and its
   * grace for the slot event are durable timers: the server skips them (a second at a time, while
   * the request is open) instead of the test waiting them out in real time.
   */
  async function startTimedOut(sim: KioskSimulator, renter: Renter) {
    const answer = Promise.resolve(api(stack, renter.token).post('/rentals/start', startBody(sim, pkg.hour)));
    let answered = false;
    void answer.finally(() => (answered = true)).catch(() => undefined);
    while (!answered) await env.sleep(SEC);
    const res = await answer;
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('DEVICE_TIMEOUT');
    const rental = await rentalRow(res.body.error.details.rental_id);
    expect(rental).toMatchObject({ status: 'failed', payment_status: 'refunded', failure_code: 'DEVICE_TIMEOUT', review_reason: null });
    return { id: String(rental.id), slot: Number(rental.slot_index), powerBankSn: String(rental.power_bank_sn) };
  }

  /** The latch opened but neither the ack nor the slot event got out; the next heartbeat shows the bay empty. */
  async function ejectedBehindTheBackendsBack(renter: Renter) {
    const sim = await kiosk('drop-ack-and-event');
    const rental = await startTimedOut(sim, renter);
    await eventually(async () => sim.bay(rental.slot)?.powerBankSn === null);
    // Until the kiosk says more, the backend still sees the power bank in its bay.
    expect((await slotRow(sim.sn, rental.slot)).power_bank_sn).toBe(rental.powerBankSn);
    await watchTimerRunning(rental.id);
    sim.setMode('normal');
    await sim.sendHeartbeat();
    await eventually(async () => (await slotRow(sim.sn, rental.slot)).power_bank_sn === null);
    await env.sleep(31 * SEC);
    await eventually(async () => (await rentalRow(rental.id)).review_reason);
    await completed(rental.id);
    return { sim, rental };
  }

  it('when the ack and the slot event are both lost and a later heartbeat shows the bay empty, then the rental stays failed and refunded, is flagged for review, the power bank is out with the user, the admin sees it and the user is notified', async () => {
    const renter = await createRenter(stack, { walletMinor: 3000, points: 80 });
    const before = await balances(stack, renter.id);
    const { sim, rental } = await ejectedBehindTheBackendsBack(renter);

    expect(await rentalRow(rental.id)).toMatchObject({
      status: 'failed',
      payment_status: 'refunded',
      review_reason: 'ejected_after_failure',
      paid_minor: '0',
      usage_minor: '0',
      fine_minor: '0',
      lost_minor: '0',
      due_minor: '0',
    });
    // Nothing charged: the pre-payment (points first, then wallet) and its refund, nothing else.
    expect(await balances(stack, renter.id)).toEqual(before);
    expect(await ledgerOf(renter.id, rental.id)).toEqual([
      { idempotency_key: `rental-charge:${rental.id}`, type: 'rental_charge' },
      { idempotency_key: `refund:rental-charge:${rental.id}`, type: 'refund' },
    ]);
    expect(await ledgerInvariants(stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });

    const [pb] = await sql(stack, 'select status, station_id, slot_index, last_rental_id from power_banks where sn = ?', [rental.powerBankSn]);
    expect(pb).toEqual({ status: 'rented', station_id: null, slot_index: null, last_rental_id: rental.id });
    const events = await eventsOf(rental.id);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['failed', 'eject_watch_started', 'eject_watch_ended']));
    expect(events.find((e) => e.type === 'eject_watch_ended')!.data).toMatchObject({
      outcome: 'released',
      power_bank_sn: rental.powerBankSn,
      returned_since: false,
    });

    const [item] = (await reviewList('&reason=ejected_after_failure')).filter((r) => r.rental_id === rental.id);
    expect(item).toMatchObject({
      reason: 'ejected_after_failure',
      user: { id: renter.id },
      power_bank_sn: rental.powerBankSn,
      rental_status: 'failed',
      payment_status: 'refunded',
      failure_code: 'DEVICE_TIMEOUT',
      power_bank: { status: 'rented', out_with_this_rental: true },
      returned: null,
    });
    const notes = await notesOf(renter.id);
    expect(notes.map((n) => n.title)).toEqual(['Rental could not start', 'Please return the power bank']);
    expect(notes[1]).toMatchObject({ type: 'rental_status', data: { rental_id: rental.id, power_bank_sn: rental.powerBankSn } });
    // No rental is open, but the user holds a power bank: no new rental and no account erasure until it is back.
    expect((await api(stack, renter.token).get('/rentals/active')).body.data).toBeNull();
    const again = await api(stack, renter.token).post('/rentals/start', startBody(sim, pkg.hour));
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'POWER_BANK_NOT_RETURNED', details: { rental_id: rental.id, power_bank_sn: rental.powerBankSn } });
    const erase = await request(stack.baseUrl).delete('/api/auth/account').set('Authorization', `Bearer ${renter.token}`);
    expect(erase.status).toBe(409);
    expect(JSON.stringify(erase.body)).toContain('UNRETURNED_POWER_BANK');
    // The review list is for admins only.
    expect((await api(stack, renter.token).get('/admin/rentals/review')).status).toBe(403);
    expect((await api(stack, admin).get('/admin/rentals/review?reason=bogus')).body).toMatchObject({ success: false, error: { code: expect.any(String) } });
    expect((await api(stack, admin).get('/admin/rentals/review?reason=bogus')).status).toBe(400);
    const doc = (await api(stack).get('/openapi.json')).body;
    const op = doc.paths['/admin/rentals/review'].get;
    expect(op.security).toBeDefined();
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['reason', 'open', 'page', 'page_size']));
  });

  it('when that power bank is later returned, then the admin record links the return to that rental and the inventory has it back', async () => {
    const renter = await createRenter(stack, { walletMinor: 3000 });
    const before = await balances(stack, renter.id);
    const { sim, rental } = await ejectedBehindTheBackendsBack(renter);

    const slot = await sim.returnPowerBank(rental.powerBankSn);
    const ret = await eventually(
      async () => (await sql(stack, 'select id, outcome, rental_id from power_bank_returns where power_bank_sn = ?', [rental.powerBankSn]))[0],
    );
    expect(ret).toMatchObject({ outcome: 'after_failure', rental_id: rental.id });
    const returns = await api(stack, admin).get('/admin/rentals/returns?outcome=after_failure&page_size=100');
    expect(returns.body.data.results).toEqual(
      expect.arrayContaining([expect.objectContaining({ power_bank_sn: rental.powerBankSn, rental_id: rental.id, outcome: 'after_failure' })]),
    );
    expect(
      (await api(stack, admin).get('/admin/rentals/returns?outcome=unmatched&page_size=100')).body.data.results.map((r: any) => r.power_bank_sn),
    ).not.toContain(rental.powerBankSn);

    const [item] = (await reviewList('&open=false')).filter((r) => r.rental_id === rental.id);
    expect(item).toMatchObject({
      reason: 'ejected_after_failure',
      power_bank: { status: 'available', out_with_this_rental: false },
      returned: { station_sn: sim.sn, slot, return_id: String(ret.id) },
    });
    expect((await reviewList('&open=true')).map((r) => r.rental_id)).not.toContain(rental.id);
    expect(
      await sql(stack, 'select pb.status, st.sn, pb.slot_index from power_banks pb join stations st on st.id = pb.station_id where pb.sn = ?', [
        rental.powerBankSn,
      ]),
    ).toEqual([{ status: 'available', sn: sim.sn, slot_index: slot }]);
    expect((await eventsOf(rental.id)).map((e) => e.type)).toContain('returned_after_failure');
    // Still failed and free.
    expect(await rentalRow(rental.id)).toMatchObject({ status: 'failed', payment_status: 'refunded', paid_minor: '0' });
    // With the power bank back the user may rent again: the user checks pass and the (unknown) station is what stops this start.
    const next = await api(stack, renter.token).post('/rentals/start', { ...startBody(sim, pkg.hour), station_sn: 'NO-SUCH-STATION' });
    expect(next.status).toBe(404);
    expect(await balances(stack, renter.id)).toEqual(before);
  });

  it('when the power bank is put back in another bay before the watch sees its own bay empty, then that return is linked to the rental, the inventory keeps it docked and the user is not asked for it', async () => {
    const renter = await createRenter(stack, { walletMinor: 3000 });
    const before = await balances(stack, renter.id);
    const sim = await kiosk('drop-ack-and-event');
    const rental = await startTimedOut(sim, renter);
    await eventually(async () => sim.bay(rental.slot)?.powerBankSn === null);
    await watchTimerRunning(rental.id);
    sim.setMode('normal');
    // No rental was open and none flagged yet: for now it is an unmatched return.
    await sim.returnPowerBank(rental.powerBankSn, 8);
    await eventually(
      async () => (await sql(stack, 'select outcome from power_bank_returns where power_bank_sn = ?', [rental.powerBankSn]))[0]?.outcome === 'unmatched',
    );
    // The return moved the power bank in our inventory (the old bay reads empty already); only the
    // kiosk's heartbeat is a fresh report of the bay, so wait for that one before the watch looks.
    const earlier = String((await slotRow(sim.sn, rental.slot)).reported_at);
    await sim.sendHeartbeat();
    await eventually(async () => {
      const row = await slotRow(sim.sn, rental.slot);
      return row.power_bank_sn === null && String(row.reported_at) !== earlier;
    });
    await env.sleep(31 * SEC);
    await completed(rental.id);

    expect(await rentalRow(rental.id)).toMatchObject({
      status: 'failed',
      payment_status: 'refunded',
      review_reason: 'ejected_after_failure',
      return_station_sn: sim.sn,
      return_slot_index: 8,
    });
    expect(await sql(stack, 'select outcome, rental_id from power_bank_returns where power_bank_sn = ?', [rental.powerBankSn])).toEqual([
      { outcome: 'after_failure', rental_id: rental.id },
    ]);
    expect(
      await sql(stack, 'select pb.status, st.sn, pb.slot_index from power_banks pb join stations st on st.id = pb.station_id where pb.sn = ?', [
        rental.powerBankSn,
      ]),
    ).toEqual([{ status: 'available', sn: sim.sn, slot_index: 8 }]);
    expect((await eventsOf(rental.id)).find((e) => e.type === 'eject_watch_ended')?.data).toMatchObject({ outcome: 'released', returned_since: true });
    expect((await notesOf(renter.id)).map((n) => n.title)).toEqual(['Rental could not start']);
    const [item] = (await reviewList('&open=false')).filter((r) => r.rental_id === rental.id);
    expect(item).toMatchObject({ power_bank: { status: 'available', out_with_this_rental: false }, returned: { station_sn: sim.sn, slot: 8 } });
    expect(await balances(stack, renter.id)).toEqual(before);
  });

  it('when a later heartbeat shows the power bank still in the bay, then nothing changes beyond the failure', async () => {
    const renter = await createRenter(stack, { walletMinor: 3000 });
    const before = await balances(stack, renter.id);
    const sim = await kiosk('silent'); // the command never reached the latch
    const rental = await startTimedOut(sim, renter);
    await watchTimerRunning(rental.id);
    sim.setMode('normal');
    await sim.sendHeartbeat();
    await eventually(async () => (await slotRow(sim.sn, rental.slot)).reported_at);
    await env.sleep(31 * SEC);
    await completed(rental.id);

    const ended = (await eventsOf(rental.id)).find((e) => e.type === 'eject_watch_ended');
    expect(ended?.data).toMatchObject({ outcome: 'present' });
    expect(await rentalRow(rental.id)).toMatchObject({ status: 'failed', payment_status: 'refunded', review_reason: null, review_at: null, returned_at: null });
    expect((await slotRow(sim.sn, rental.slot)).power_bank_sn).toBe(rental.powerBankSn);
    const [pb] = await sql(stack, 'select status from power_banks where sn = ?', [rental.powerBankSn]);
    expect(pb?.status ?? 'available').toBe('available');
    expect((await notesOf(renter.id)).map((n) => n.title)).toEqual(['Rental could not start']);
    expect((await reviewList()).map((r) => r.rental_id)).not.toContain(rental.id);
    expect(await balances(stack, renter.id)).toEqual(before);
    expect(await ledgerOf(renter.id, rental.id)).toHaveLength(2);
  });

  it('when the kiosk reports nothing about the bay for the whole watch, then the failure stands and the admin sees the bay could not be confirmed', async () => {
    const renter = await createRenter(stack, { walletMinor: 3000 });
    const before = await balances(stack, renter.id);
    const sim = await kiosk('silent');
    const rental = await startTimedOut(sim, renter);
    await watchTimerRunning(rental.id);
    await env.sleep(10 * MIN + SEC);
    await completed(rental.id);

    expect(await rentalRow(rental.id)).toMatchObject({ status: 'failed', payment_status: 'refunded', review_reason: 'eject_unconfirmed' });
    expect((await eventsOf(rental.id)).find((e) => e.type === 'eject_watch_ended')?.data).toMatchObject({ outcome: 'unconfirmed' });
    const [item] = (await reviewList('&reason=eject_unconfirmed')).filter((r) => r.rental_id === rental.id);
    expect(item).toMatchObject({ reason: 'eject_unconfirmed', power_bank_sn: rental.powerBankSn, returned: null });
    // The bay's last word (before the command) still stands in the inventory; the user is not asked for anything.
    expect((await slotRow(sim.sn, rental.slot)).power_bank_sn).toBe(rental.powerBankSn);
    expect((await notesOf(renter.id)).map((n) => n.title)).toEqual(['Rental could not start']);
    expect(await balances(stack, renter.id)).toEqual(before);
  });

  it('when an admin resolves a review, then it leaves the open queue with the decision recorded, once; nothing moves in the ledger', async () => {
    const renter = await createRenter(stack, { walletMinor: 3000 });
    const sim = await kiosk('silent');
    const rental = await startTimedOut(sim, renter);
    await watchTimerRunning(rental.id);
    // And a failure of this test's own that the bay confirms (a fresh heartbeat shows the power bank still there): never flagged.
    const confirmed = await (async () => {
      const other = await kiosk('silent');
      const failed = await startTimedOut(other, await createRenter(stack, { walletMinor: 3000 }));
      await watchTimerRunning(failed.id);
      other.setMode('normal');
      const earlier = String((await slotRow(other.sn, failed.slot)).reported_at);
      await other.sendHeartbeat();
      await eventually(async () => String((await slotRow(other.sn, failed.slot)).reported_at) !== earlier);
      return failed;
    })();
    await env.sleep(10 * MIN + SEC);
    await completed(rental.id);
    await completed(confirmed.id);
    expect((await reviewList('&resolved=false')).map((r) => r.rental_id)).toContain(rental.id);
    const before = await balances(stack, renter.id);

    const resolve = (body: object, token = admin, id = rental.id) => api(stack, token).post(`/admin/rentals/${id}/review/resolve`, body);
    expect((await resolve({ resolution: 'kept' })).status).toBe(400);
    expect((await resolve({ resolution: 'no_issue' }, renter.token)).status).toBe(403);
    expect((await resolve({ resolution: 'no_issue' }, admin, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const done = await resolve({ resolution: 'power_bank_recovered', note: 'Found in the kiosk on a site visit' });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({
      rental_id: rental.id,
      reason: 'eject_unconfirmed',
      resolution: { resolution: 'power_bank_recovered', note: 'Found in the kiosk on a site visit', resolved_at: expect.any(String) },
    });
    const again = await resolve({ resolution: 'written_off' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'REVIEW_ALREADY_RESOLVED', details: { resolution: 'power_bank_recovered' } });

    expect((await reviewList('&resolved=false')).map((r) => r.rental_id)).not.toContain(rental.id);
    expect((await reviewList('&resolved=true')).find((r) => r.rental_id === rental.id)?.resolution.resolution).toBe('power_bank_recovered');
    expect((await eventsOf(rental.id)).filter((e) => e.type === 'review_resolved').map((e) => e.data.resolution)).toEqual(['power_bank_recovered']);
    expect(await balances(stack, renter.id)).toEqual(before);
    expect(await ledgerOf(renter.id, rental.id)).toHaveLength(2);
    // A rental that was never flagged has no review to resolve: the failure that the bay confirmed.
    expect(await rentalRow(confirmed.id)).toMatchObject({ status: 'failed', failure_code: 'DEVICE_TIMEOUT', review_reason: null });
    expect((await resolve({ resolution: 'no_issue' }, admin, confirmed.id)).status).toBe(404);
  });
});
