import { emiSchedule, FLEET_DEMO, loadFleetDemoLoans, seedFleetDemo } from '../../src/modules/loans';
import { NBFC_SIGNATURE_HEADER } from '../../src/modules/loans';
import { BatterySimulator } from '../../src/sim/battery-simulator';
import { metricsRegistry } from '../../src/kernel/observability/metrics';
import { eventually, type TestStack } from '../support/stack';
import { addMember, consumerWithBattery, loginAs, saveHistory, type FleetClient, startFleetStack, type startFleetSandboxes } from './fleet-support';

/** Loan applications: the NBFC's signed webhook, finance's approval, the first decision wins, the schedule to the paisa. */
describe('fleet: loan applications', () => {
  let stack: TestStack;
  let boxes: Awaited<ReturnType<typeof startFleetSandboxes>>;
  let api: FleetClient;
  let dealer: string;
  let admin: string;
  const tag = Date.now().toString(36).toUpperCase();
  const app = (id: number) => api.call('GET', `/consumers/${id}/finance`, undefined, dealer);

  beforeAll(async () => {
    ({ boxes, stack, api, dealer, admin } = await startFleetStack());
  });
  afterAll(async () => {
    await stack?.close();
    await boxes?.stop();
  });

  it('when the NBFC approves by a signed webhook, then a forged one changed nothing, the duplicate applies once, the loan is disbursed and a later approval is 409', async () => {
    const { consumerId, batteryId } = await consumerWithBattery(api, dealer, `L1${tag}`);
    const submitted = await api.call(
      'POST',
      '/nbfc/submit-application',
      { consumer_id: consumerId, battery_id: batteryId, amount: 100000, tenure_months: 12 },
      dealer,
    );
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ status: 'sent_to_nbfc', nbfc_reference: expect.stringMatching(/^NBFC-/) });
    const id = submitted.body.id;

    const forgedBody = JSON.stringify({ applicationId: id, status: 'approved', sanctionedAmount: 999999, interestRate: 1 });
    for (const signature of [undefined, 'f'.repeat(64)]) {
      const forged = await fetch(`${stack.baseUrl}/fleet/api/nbfc/webhook-status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature ? { [NBFC_SIGNATURE_HEADER]: signature } : {}) },
        body: forgedBody,
      });
      expect(forged.status).toBe(401);
      expect(await forged.json()).toMatchObject({ code: 'INVALID_SIGNATURE', details: null });
    }
    expect((await app(consumerId)).body.applications[0].status).toBe('sent_to_nbfc');

    expect(await boxes.nbfc.decide(String(id), { status: 'approved', sanctioned_amount: 100000, interest_rate: 12, duplicate: true })).toEqual([200, 200]);
    const finance = await eventually(async () => {
      const f = (await app(consumerId)).body;
      return f.loans.length === 1 ? f : undefined;
    });
    expect(finance.applications[0]).toMatchObject({ status: 'disbursed', decided_by: 'nbfc', approved_amount: 100000, interest_rate: 12 });
    const [events] = await stack.orm.em.getConnection().execute(`select count(*)::int as n from fleet_nbfc_webhook_events where application_id = ?`, [id]);
    expect(events.n).toBe(1);
    const late = await api.call('PUT', `/finance/applications/${id}/approve`, { status: 'approved', approved_amount: 50000, interest_rate: 10 }, admin);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'ALREADY_DECIDED', details: null });
    const [entries] = await stack.orm.em
      .getConnection()
      .execute(`select count(*)::int as n from journal_entries where idempotency_key = ?`, [`loan-disbursement:${finance.loans[0].id}`]);
    expect(entries.n).toBe(1);
    await saveHistory(
      stack,
      `loan-application:${id}`,
      undefined,
      'loan-application-nbfc-webhook-approved',
      'from the test stack: NBFC sandbox approved by signed webhook (sent twice), disbursed, later finance approval refused',
    );
  });

  it('when finance approves twice at once and the NBFC later, then exactly one decision wins and the others are refused', async () => {
    const { consumerId, batteryId } = await consumerWithBattery(api, dealer, `L2${tag}`);
    const submitted = await api.call(
      'POST',
      '/finance/applications',
      { consumer_id: consumerId, battery_id: batteryId, amount: 45000, tenure_months: 24 },
      dealer,
    );
    expect(submitted.status).toBe(201);
    const id = submitted.body.id;
    expect(
      (await api.call('PUT', `/finance/applications/${id}/approve`, { status: 'approved', approved_amount: 45000, interest_rate: 12.5 }, dealer)).status,
    ).toBe(403);
    await eventually(async () => boxes.nbfc.applications().some((a) => a.partner_reference === String(id)));
    const both = await Promise.all(
      [45000, 40000].map((amount) =>
        api.call('PUT', `/finance/applications/${id}/approve`, { status: 'approved', approved_amount: amount, interest_rate: 12.5 }, admin),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await boxes.nbfc.decide(String(id), { status: 'rejected' })).toEqual([200]);
    const finance = await eventually(async () => {
      const f = (await app(consumerId)).body;
      return f.loans.length === 1 ? f : undefined;
    });
    const winner = both.find((r) => r.status === 200)!.body;
    expect(finance.applications[0]).toMatchObject({ status: 'disbursed', decided_by: 'finance', approved_amount: winner.approved_amount });
    const loan = finance.loans[0];
    expect(loan.schedule).toHaveLength(24);
    expect(loan.schedule.reduce((s: number, i: { principal_paise: number }) => s + i.principal_paise, 0)).toBe(winner.approved_amount * 100);
  });

  it('when a consumer prepays and then forecloses, then the EMI shrinks, the quote is exact to the paisa, each payment counts once, the loan closes and the battery stays enabled', async () => {
    const sql = (q: string, p: unknown[] = []) => stack.orm.em.getConnection().execute(q, p);
    const { consumerId, batteryId } = await consumerWithBattery(api, dealer, `L3${tag}`);
    const submitted = await api.call(
      'POST',
      '/finance/applications',
      { consumer_id: consumerId, battery_id: batteryId, amount: 100000, tenure_months: 12 },
      dealer,
    );
    await api.call('PUT', `/finance/applications/${submitted.body.id}/approve`, { status: 'approved', approved_amount: 100000, interest_rate: 12 }, admin);
    const loan = await eventually(async () => (await app(consumerId)).body.loans[0]);
    const tooBig = await api.call('POST', `/finance/loans/${loan.id}/prepayment`, { amount: 100000 }, dealer);
    expect(tooBig.status).toBe(409);
    expect(tooBig.body).toEqual({ error: expect.any(String), details: { outstanding_principal_paise: 10_000_000 }, code: 'PREPAYMENT_TOO_LARGE' });

    // ₹20,000 prepaid (webhook sent twice): the 12 instalments are re-scheduled on ₹80,000, same due dates.
    const pre = await api.call('POST', `/finance/loans/${loan.id}/prepayment`, { amount: 20000 }, dealer);
    expect(pre.status).toBe(201);
    expect(await boxes.razorpay.pay(pre.body.payment_link.id, { duplicate: true })).toEqual([200, 200]);
    const expected = emiSchedule(8_000_000, 12, 12, loan.schedule[0].due_date);
    const after = await eventually(async () => {
      const l = (await app(consumerId)).body.loans[0];
      return l.schedule[0].principal_paise !== loan.schedule[0].principal_paise ? l : undefined;
    });
    expect(after.schedule.map((i: Record<string, unknown>) => [i.due_date, i.emi_paise, i.principal_paise, i.interest_paise])).toEqual(
      expected.map((i) => [i.dueDate, i.emiPaise, i.principalPaise, i.interestPaise]),
    );
    expect(after.emi).toBe(expected[0].emiPaise / 100);

    // Ten days after the disbursement (moved back): outstanding + accrued (actual/365) + the 2 % fee, to the paisa.
    await sql(`update fleet_loans set disbursed_at = disbursed_at - interval '10 days' where id = ?`, [loan.id]);
    const other = await addMember(stack, 'dealer');
    expect(
      (await api.call('GET', `/finance/loans/${loan.id}/foreclosure-quote`, undefined, await loginAs(stack, boxes.sms, other.phone, 'dealer'))).status,
    ).toBe(404);
    const quote = await api.call('GET', `/finance/loans/${loan.id}/foreclosure-quote`, undefined, dealer);
    // 8,000,000 × 12 % × 10 / 365 = 26,301.37 → 26,301; fee 2 % of 8,000,000 = 160,000.
    expect(quote.body).toMatchObject({ outstanding_principal_paise: 8_000_000, dues_paise: 0, accrued_interest_paise: 26_301, accrued_days: 10 });
    expect(quote.body).toMatchObject({ foreclosure_fee_paise: 160_000, total_paise: 8_186_301, total: 81863.01 });
    const close = await api.call('POST', `/finance/loans/${loan.id}/foreclosure`, undefined, dealer);
    expect(close.body).toMatchObject({ kind: 'foreclosure', amount_paise: 8_186_301 });
    const runId = (await stack.temporal.workflow.getHandle(`emi:${loan.id}`).describe()).runId;
    expect(await boxes.razorpay.pay(close.body.payment_link.id, { duplicate: true })).toEqual([200, 200]);
    expect(await stack.temporal.workflow.getHandle(`emi:${loan.id}`).result()).toEqual({ loanId: loan.id, status: 'closed' });
    const closed = (await app(consumerId)).body.loans[0];
    expect(closed.status).toBe('closed');
    expect(closed.schedule.every((i: { status: string }) => i.status === 'closed')).toBe(true);
    const [receivable] = await sql(`select balance_minor from ledger_accounts where owner_id = ? and kind = 'loan_receivable'`, [`loan:${loan.id}`]);
    expect(Number(receivable.balance_minor)).toBe(0);
    const entries = await sql(`select type, count(*)::int as n from journal_entries where metadata->>'loanId' = ? group by type order by type`, [
      String(loan.id),
    ]);
    expect(entries).toEqual([
      { type: 'loan_disbursement', n: 1 },
      { type: 'loan_foreclosure', n: 1 },
      { type: 'loan_prepayment', n: 1 },
    ]);
    expect((await sql(`select status from fleet_batteries where id = ?`, [batteryId]))[0].status).toBe('active');
    expect((await api.call('POST', `/finance/loans/${loan.id}/foreclosure`, undefined, dealer)).body.code).toBe('LOAN_CLOSED');
    await saveHistory(
      stack,
      `emi:${loan.id}`,
      runId,
      'emi-prepaid-foreclosed',
      'from the test stack: prepaid (webhook applied, no signal), foreclosed by signal, closed',
    );
  });

  it('when the fleet demo is loaded, then its overdue loan’s battery is disabled and acked by the simulated battery, the current one stays current, and a second load adds nothing', async () => {
    const sql = (q: string, p: unknown[] = []) => stack.orm.em.getConnection().execute(q, p);
    await seedFleetDemo(sql);
    const sims = ['BAT001', 'BAT002'].map(
      (serial) =>
        new BatterySimulator({
          brokerUrl: stack.config.MQTT_URL,
          serial,
          authSecret: stack.config.MQTT_AUTH_SECRET,
          topicPrefix: stack.config.MQTT_TOPIC_PREFIX,
        }),
    );
    await Promise.all(sims.map((s) => s.start()));
    try {
      const loans = await loadFleetDemoLoans({ orm: stack.orm, temporal: stack.temporal, config: stack.config });
      expect(loans.map((l) => l.serial)).toEqual(['BAT001', 'BAT002']);
      const demoDealer = await loginAs(stack, boxes.sms, FLEET_DEMO.dealer.phone, 'dealer');
      const battery = (serial: string) =>
        api.call('GET', '/batteries', undefined, demoDealer).then((r) => r.body.find((b: { serial_number: string }) => b.serial_number === serial));
      const disabled = await eventually(async () => {
        const b = await battery('BAT002');
        return b?.status === 'inactive' ? b : undefined;
      }, 30_000);
      expect(disabled).toMatchObject({ status: 'inactive', pending_action: null });
      expect(sims[1].status).toBe('inactive');
      expect(sims[0].status).toBe('active');
      expect((await battery('BAT001')).status).toBe('active');
      const [current, overdue] = loans;
      const rows = await sql(
        `select l.id, l.status, i.status as first_status, i.late_fee_paise, i.overdue_days, i.payment_link_id from fleet_loans l join fleet_emi_instalments i on i.loan_id = l.id and i.seq = 1 where l.id in (?, ?) order by l.id`,
        [current.loanId, overdue.loanId],
      );
      expect(rows[0]).toMatchObject({ status: 'current', first_status: 'upcoming', payment_link_id: null });
      const c = stack.config;
      const days = c.FLEET_OVERDUE_DISABLE_DAYS + 1;
      expect(rows[1]).toMatchObject({ status: 'disabled', first_status: 'overdue', overdue_days: days, payment_link_id: expect.stringMatching(/^plink_/) });
      expect(Number(rows[1].late_fee_paise)).toBe(Math.min(c.FLEET_LATE_FEE_CAP_PAISE, (days - c.FLEET_GRACE_DAYS) * c.FLEET_LATE_FEE_PER_DAY_PAISE));
      expect(boxes.sms.messages(FLEET_DEMO.consumers[1].phone).some((m) => /BAT002 .* is disabled/.test(m.text))).toBe(true);
      expect(await loadFleetDemoLoans({ orm: stack.orm, temporal: stack.temporal, config: stack.config })).toEqual([]);

      // The disabled battery is reset (a restarted simulator comes back active): its first
      // heartbeat contradicts the row, and the bridge sends it the disable again.
      const resent = async () =>
        (await metricsRegistry.getSingleMetric('stationflow_fleet_battery_status_resent_total')!.get()).values.find((v) => v.labels.status === 'inactive')
          ?.value ?? 0;
      const before = await resent();
      await sims[1].stop();
      sims[1] = new BatterySimulator({
        brokerUrl: stack.config.MQTT_URL,
        serial: 'BAT002',
        authSecret: stack.config.MQTT_AUTH_SECRET,
        topicPrefix: stack.config.MQTT_TOPIC_PREFIX,
      });
      expect(sims[1].status).toBe('active');
      await sims[1].start();
      await eventually(async () => sims[1].status === 'inactive', 30_000);
      expect(await resent()).toBe(before + 1);
      expect((await battery('BAT002')).status).toBe('inactive');
      const [audit] = await sql(`select actor_role, action, before, after from admin_audit_log where target_type = 'battery' and target_id = 'BAT002'`);
      expect(audit).toMatchObject({ actor_role: 'system', action: 'fleet.battery.status_resent', before: { status: 'active' }, after: { status: 'inactive' } });
      // Rate-limited: heartbeats that still say active within FLEET_STATUS_RESEND_SECONDS send nothing more.
      const heard = stack.bridge!.stats().heartbeat ?? 0;
      sims[1].status = 'active';
      await sims[1].heartbeat();
      await sims[1].heartbeat();
      await eventually(async () => (stack.bridge!.stats().heartbeat ?? 0) >= heard + 2);
      expect(await resent()).toBe(before + 1);
    } finally {
      await Promise.all(sims.map((s) => s.stop()));
    }
  });

  it('when schedules are computed, then 12 and 24 months sum exactly to the principal in paise with the stated rounding', () => {
    const twelve = emiSchedule(10_000_000, 12, 12, '2027-01-05');
    expect(twelve[0]).toMatchObject({ emiPaise: 888_488, interestPaise: 100_000, principalPaise: 788_488 });
    expect(twelve.reduce((s, i) => s + i.principalPaise, 0)).toBe(10_000_000);
    expect(twelve[11]).toMatchObject({ balanceAfterPaise: 0, dueDate: '2027-12-05' });
    const twentyFour = emiSchedule(4_500_000, 12.5, 24, '2027-01-31');
    expect(twentyFour.reduce((s, i) => s + i.principalPaise, 0)).toBe(4_500_000);
    expect(twentyFour.slice(0, 23).every((i) => i.emiPaise === twentyFour[0].emiPaise)).toBe(true);
    expect(twentyFour[1].dueDate).toBe('2027-02-28');
    expect(twentyFour.every((i) => Number.isInteger(i.interestPaise) && i.interestPaise >= 0)).toBe(true);
  });
});
