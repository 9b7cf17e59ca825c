import { createTimeSkippingEnv, type TimeSkippingEnv } from '../support/time-skipping';
import { eventually, type TestStack } from '../support/stack';
import {
  addMember,
  loginAs,
  consumerWithBattery,
  saveHistory,
  simulatedBattery,
  type FleetClient,
  startFleetStack,
  type startFleetSandboxes,
} from './fleet-support';

const DAY = 86_400_000;

/**
 * An EMI schedule in skipped time: reminder 3 days before, payment link on the due day, late fee
 * after the grace days, bulk auto-disable acked by the simulated battery, a payment (signed
 * Razorpay webhook, sent twice) credits once and re-enables the battery, the schedule moves on.
 */
describe('fleet: the EMI schedule', () => {
  let env: TimeSkippingEnv;
  let stack: TestStack;
  let boxes: Awaited<ReturnType<typeof startFleetSandboxes>>;
  let api: FleetClient;
  let dealer: string;
  let admin: string;
  const sql = (q: string, p: unknown[] = []) => stack.orm.em.getConnection().execute(q, p);
  /** Moves the server's clock to `atMs` (the workflows' time). */
  let foreclosable: { loanId: number; serial: string; battery: Awaited<ReturnType<typeof simulatedBattery>> } | undefined;
  const skipTo = async (atMs: number) => env.sleep(Math.max(0, atMs - (await env.currentTimeMs())));

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    ({ boxes, stack, api, dealer, admin } = await startFleetStack({ temporalServer: { client: env.client, nativeConnection: env.nativeConnection } }));
  });
  afterAll(async () => {
    await stack?.close();
    await boxes?.stop();
    await env?.teardown();
  });

  it('when an EMI is late, then reminder, link, late fee, bulk auto-disable (acked), payment once and re-enable follow', async () => {
    const serial = `EMI${Date.now().toString(36).toUpperCase()}`;
    const { consumerId, batteryId } = await consumerWithBattery(api, dealer, serial);
    const battery = await simulatedBattery(stack, serial);
    const consumerPhone = (await sql(`select phone from fleet_consumers where id = ?`, [consumerId]))[0].phone as string;
    const submitted = await api.call(
      'POST',
      '/finance/applications',
      { consumer_id: consumerId, battery_id: batteryId, amount: 100000, tenure_months: 12 },
      dealer,
    );
    expect(
      (await api.call('PUT', `/finance/applications/${submitted.body.id}/approve`, { status: 'approved', approved_amount: 100000, interest_rate: 12 }, admin))
        .status,
    ).toBe(200);
    const loan = await eventually(async () => (await api.call('GET', `/consumers/${consumerId}/finance`, undefined, dealer)).body.loans[0]);
    const due = Date.parse(`${loan.schedule[0].due_date}T00:00:00+05:30`);

    await skipTo(due - 3 * DAY + 11 * 3_600_000);
    await eventually(async () => boxes.sms.messages(consumerPhone).some((m) => m.text.includes(`is due on ${loan.schedule[0].due_date}`)), 15_000);

    await skipTo(due + 3_600_000);
    const link = await eventually(async () => boxes.razorpay.links().find((l) => l.reference_id === `emi-${loan.id}-1`), 15_000);
    expect(link.amount).toBe(888_488);
    await eventually(async () => boxes.sms.messages(consumerPhone).some((m) => m.text.includes(link.short_url)), 15_000);

    await skipTo(due + 4 * DAY + 3_600_000); // 4 days overdue, 1 past the 3-day grace
    const inst = await eventually(async () => {
      const [row] = await sql(`select * from fleet_emi_instalments where loan_id = ? and seq = 1 and overdue_days >= 4`, [loan.id]);
      return row;
    }, 15_000);
    expect(Number(inst.late_fee_paise)).toBe(5000 * (inst.overdue_days - 3));
    const overdue = await api.call('GET', '/finance/overdue', undefined, dealer);
    expect(overdue.body).toEqual([expect.objectContaining({ loan_id: loan.id, battery_serial: serial, days_overdue: inst.overdue_days })]);

    const bulk = await api.call('POST', '/finance/auto-disable', { overdue_days_threshold: 3 }, admin);
    expect(bulk.status).toBe(200);
    expect(bulk.body.disabled).toEqual(expect.arrayContaining([expect.objectContaining({ loan_id: loan.id, battery_serial: serial })]));
    await eventually(async () => (await sql(`select status from fleet_batteries where serial_number = ?`, [serial]))[0].status === 'inactive', 15_000);
    expect(battery.commands.some((c) => c.status === 'inactive')).toBe(true);

    const firstRun = (await stack.temporal.workflow.getHandle(`emi:${loan.id}`).describe()).runId;
    expect(await boxes.razorpay.pay(link.id, { duplicate: true })).toEqual([200, 200]);
    await eventually(async () => (await sql(`select status from fleet_batteries where serial_number = ?`, [serial]))[0].status === 'active', 15_000);
    const [paid] = await sql(`select status, paid_paise from fleet_emi_instalments where loan_id = ? and seq = 1`, [loan.id]);
    expect(paid).toMatchObject({ status: 'paid', paid_paise: '888488' });
    const [entries] = await sql(`select count(*)::int as n from journal_entries where idempotency_key like 'emi-collection:%' and metadata->>'loanId' = ?`, [
      String(loan.id),
    ]);
    expect(entries.n).toBe(1);
    const handle = stack.temporal.workflow.getHandle(`emi:${loan.id}`);
    await eventually(async () => (await handle.query<{ seq: number }>('emiState')).seq === 2, 15_000);
    const ts = 'time-skipping server:';
    await saveHistory(
      stack,
      `emi:${loan.id}`,
      firstRun,
      'emi-late-fee-auto-disabled-paid',
      `${ts} instalment 1 reminded, linked, late fee, bulk auto-disable, paid, re-enabled, continued as new`,
    );
    await saveHistory(
      stack,
      `loan-application:${submitted.body.id}`,
      undefined,
      'loan-application-finance-approved',
      `${ts} sent to the NBFC sandbox, finance approved, disbursed, emi started`,
    );
    await saveHistory(stack, `battery-control:${serial}`, undefined, 'battery-control-acked', `${ts} set_status active acked by the simulated battery`);

    // The next instalment, never paid: the schedule disables the battery itself at 7 days overdue.
    const due2 = Date.parse(`${loan.schedule[1].due_date}T00:00:00+05:30`);
    await skipTo(due2 + 8 * DAY + 3_600_000);
    await eventually(async () => (await sql(`select status from fleet_batteries where serial_number = ?`, [serial]))[0].status === 'inactive', 15_000);
    await eventually(async () => (await sql(`select status from fleet_loans where id = ?`, [loan.id]))[0].status === 'disabled');
    const [fees] = await sql(`select late_fee_paise from fleet_emi_instalments where loan_id = ? and seq = 2`, [loan.id]);
    expect(Number(fees.late_fee_paise)).toBe(25_000); // (8 - 3) days × ₹50, under the ₹500 cap

    // The loan's receivable in the ledger: principal + interest recognised + late fees − the collection.
    const [receivable] = await sql(`select balance_minor from ledger_accounts where owner_type = 'system' and owner_id = ? and kind = 'loan_receivable'`, [
      `loan:${loan.id}`,
    ]);
    const expected = 10_000_000 + loan.schedule[0].interest_paise + loan.schedule[1].interest_paise + Number(inst.late_fee_paise) + 25_000 - 888_488;
    expect(Number(receivable.balance_minor)).toBe(expected);

    // The collection report's money is the ledger's: every emi-collection posting of today (IST) on Razorpay clearing.
    const today = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
    const report = await api.call('GET', `/analytics/collection-report?start_date=${today}&end_date=${today}`, undefined, admin);
    const [journal] = await sql(
      `select coalesce(sum(p.amount_minor), 0)::bigint as total from journal_postings p join journal_entries e on e.id = p.entry_id join ledger_accounts a on a.id = p.account_id
        where e.idempotency_key like 'emi-collection:%' and a.kind = 'gateway_clearing' and (e.created_at at time zone 'Asia/Kolkata')::date = ?::date`,
      [today],
    );
    expect(report.body.collections.emi.amount_paise).toBe(Number(journal.total));
    expect(report.body.daily_collections).toEqual([expect.objectContaining({ date: today })]);
    expect((await api.call('GET', `/analytics/collection-report?start_date=${today}&end_date=${today}`, undefined, dealer)).status).toBe(403);
    const portfolio = await api.call('GET', '/nbfc/portfolio', undefined, admin);
    expect(portfolio.body.portfolio_health.by_status.disabled).toBeGreaterThanOrEqual(1);
    const dashboard = await api.call('GET', '/analytics/dealer-dashboard', undefined, dealer);
    expect(dashboard.body).toMatchObject({ finance: { loans: 1, overdue_loans: 1, collected: 8884.88 }, batteries: { total: 1 } });

    foreclosable = { loanId: loan.id, serial, battery };
  });

  it('when tickets are opened, then the best technician is assigned with its score explained, and SLA timers escalate to the admins', async () => {
    const tag = Date.now().toString(36).toUpperCase();
    const blr = await addMember(stack, 'technician', { location: 'Bangalore', skills: ['battery_maintenance'] });
    await addMember(stack, 'technician', { location: 'Mumbai', skills: ['battery_maintenance'] });
    const { batteryId } = await consumerWithBattery(api, dealer, `T${tag}`);
    const first = await api.call('POST', '/service/tickets', { battery_id: batteryId, issue_category: 'performance', location: 'Bangalore' }, dealer);
    expect(first.status).toBe(201);
    const assigned = await eventually(async () =>
      (await api.call('GET', '/service/tickets/active', undefined, dealer)).body.find(
        (t: { id: number; status: string }) => t.id === first.body.id && t.status === 'assigned',
      ),
    );
    expect(assigned.assignment).toMatchObject({ technician_id: blr.id, score: 100, breakdown: { location: 40, skill: 30, availability: 20, load: 10 } });

    // Nobody available: the ticket stays open and escalates after the assign SLA (2 h).
    await sql(`update fleet_members set available = false where user_type = 'technician'`);
    const second = await api.call('POST', '/service/tickets', { battery_id: batteryId, issue_category: 'charging', location: 'Mumbai' }, dealer);
    await env.sleep(2 * 3_600_000 + 60_000);
    await eventually(async () => (await sql(`select escalations from fleet_service_tickets where id = ?`, [second.body.id]))[0].escalations >= 1, 15_000);
    expect(boxes.sms.messages().some((m) => m.text.includes(`Service ticket ${second.body.id} is unassigned past its SLA`))).toBe(true);
    await sql(`update fleet_members set available = true where user_type = 'technician'`);
    const auto = await api.call(
      'POST',
      '/service/auto-assign',
      { ticket_id: second.body.id, location: 'Mumbai', skill_required: 'battery_maintenance' },
      dealer,
    );
    expect(auto.status).toBe(200);
    expect(auto.body.assigned.technician_name).toMatch(/technician/);
    expect(auto.body.candidates[0]).toMatchObject({ breakdown: { location: 40 } });
    expect(
      (await api.call('GET', '/service/technicians/available?location=Mumbai&skill_required=battery_maintenance', undefined, dealer)).body.length,
    ).toBeGreaterThanOrEqual(2);
    // The first ticket, assigned but never resolved: escalates after the resolve SLA (48 h).
    await env.sleep(48 * 3_600_000 + 60_000);
    await eventually(async () => (await sql(`select escalations from fleet_service_tickets where id = ?`, [first.body.id]))[0].escalations >= 1, 15_000);
    expect(boxes.sms.messages().some((m) => m.text.includes(`Service ticket ${first.body.id} is unresolved past its SLA`))).toBe(true);
    expect((await sql(`select status from fleet_service_tickets where id = ?`, [first.body.id]))[0].status).toBe('assigned');
    const tech = await loginAs(stack, boxes.sms, blr.phone, 'technician');
    expect((await api.call('PUT', `/service/tickets/${first.body.id}/resolve`, undefined, tech)).body.status).toBe('resolved');
    await eventually(async () => (await stack.temporal.workflow.getHandle(`service-ticket:${first.body.id}`).describe()).status.name === 'COMPLETED');
    await saveHistory(
      stack,
      `service-ticket:${first.body.id}`,
      undefined,
      'service-ticket-auto-assigned-resolved',
      'time-skipping server: auto-assigned (score 100), resolved by the technician',
    );
  });

  // Last in the file: once no schedule is left running, this server's env.sleep was seen never to return.
  it('when a disabled loan is foreclosed, then the quote takes its dues, the paid link closes the schedule and the battery is enabled again', async () => {
    const { loanId, serial, battery } = foreclosable!;
    const [account] = await sql(`select balance_minor from ledger_accounts where owner_id = ? and kind = 'loan_receivable'`, [`loan:${loanId}`]);
    const receivable = Number(account.balance_minor);
    const handle = stack.temporal.workflow.getHandle(`emi:${loanId}`);
    const quote = await api.call('GET', `/finance/loans/${loanId}/foreclosure-quote`, undefined, dealer);
    expect(quote.body).toMatchObject({ outstanding_principal_paise: 10_000_000 - 788_488, dues_paise: receivable - 9_211_512, foreclosure_fee_paise: 184_230 });
    expect(quote.body.total_paise).toBe(receivable + quote.body.accrued_interest_paise + 184_230);
    const close = await api.call('POST', `/finance/loans/${loanId}/foreclosure`, undefined, admin);
    await boxes.razorpay.pay(close.body.payment_link.id);
    // (describe, not result(): awaiting a result lets the time-skipping server run the clock on)
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', 15_000);
    expect((await sql(`select status from fleet_loans where id = ?`, [loanId]))[0].status).toBe('closed');
    const [after] = await sql(`select balance_minor from ledger_accounts where owner_id = ? and kind = 'loan_receivable'`, [`loan:${loanId}`]);
    expect(Number(after.balance_minor)).toBe(0);
    await eventually(async () => (await sql(`select status from fleet_batteries where serial_number = ?`, [serial]))[0].status === 'active', 15_000);
    expect(battery.commands.at(-1)).toMatchObject({ type: 'set_status', status: 'active' });
    await battery.close();

    // A second loan prepaid the same day: the collection report's lines and totals are the ledger's for a day with an
    // EMI payment and late fees (the first test), a prepayment and a foreclosure.
    const other = await consumerWithBattery(api, dealer, `${serial}P`);
    const app2 = await api.call(
      'POST',
      '/finance/applications',
      { consumer_id: other.consumerId, battery_id: other.batteryId, amount: 50000, tenure_months: 12 },
      dealer,
    );
    await api.call('PUT', `/finance/applications/${app2.body.id}/approve`, { status: 'approved', approved_amount: 50000, interest_rate: 12 }, admin);
    const loan2 = await eventually(async () => (await api.call('GET', `/consumers/${other.consumerId}/finance`, undefined, dealer)).body.loans[0]);
    const pre = await api.call('POST', `/finance/loans/${loan2.id}/prepayment`, { amount: 10000 }, dealer);
    expect(await boxes.razorpay.pay(pre.body.payment_link.id)).toEqual([200]);
    const prepaid = `select count(*)::int as n from journal_entries where idempotency_key like 'loan-prepayment:%' and metadata->>'loanId' = ?`;
    await eventually(async () => (await sql(prepaid, [String(loan2.id)]))[0].n === 1);
    await expectCollectionReportEqualsLedger(api, admin, sql);
  });
});

/** Today's (IST) collection report against the journal: each collected line, the total, the late fees charged. */
async function expectCollectionReportEqualsLedger(api: FleetClient, admin: string, sql: (q: string, p?: unknown[]) => Promise<any[]>) {
  const today = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
  const report = (await api.call('GET', `/analytics/collection-report?start_date=${today}&end_date=${today}`, undefined, admin)).body;
  const rows = await sql(
    `select split_part(e.idempotency_key, ':', 1) as source, sum(p.amount_minor)::bigint as total, count(*)::int as n
       from journal_postings p join journal_entries e on e.id = p.entry_id join ledger_accounts a on a.id = p.account_id
      where a.currency = 'INR' and a.owner_type <> 'user' and (e.created_at at time zone 'Asia/Kolkata')::date = ?::date
        and ((a.kind = 'gateway_clearing' and split_part(e.idempotency_key, ':', 1) in ('emi-collection', 'loan-prepayment', 'loan-foreclosure'))
          or (a.kind = 'fines' and split_part(e.idempotency_key, ':', 1) = 'late-fee'))
      group by 1`,
    [today],
  );
  const ledger = (source: string) => rows.find((r) => r.source === source) ?? { total: 0, n: 0 };
  const lines = { emi: 'emi-collection', prepayment: 'loan-prepayment', foreclosure: 'loan-foreclosure' } as const;
  for (const [kind, source] of Object.entries(lines)) {
    expect(report.collections[kind]).toEqual({
      amount_paise: Number(ledger(source).total),
      amount: Number(ledger(source).total) / 100,
      payments: ledger(source).n,
    });
    expect(report.collections[kind].amount_paise).toBeGreaterThan(0);
  }
  const collected = Object.values(lines).reduce((sum, source) => sum + Number(ledger(source).total), 0);
  expect(report.total_collected_paise).toBe(collected);
  expect(report.daily_collections).toEqual([
    expect.objectContaining({
      date: today,
      collected_paise: collected,
      emi_paise: Number(ledger('emi-collection').total),
      prepayment_paise: Number(ledger('loan-prepayment').total),
      foreclosure_paise: Number(ledger('loan-foreclosure').total),
    }),
  ]);
  expect(report.late_fees_charged_paise).toBe(-Number(ledger('late-fee').total));
  expect(report.late_fees_charged_paise).toBeGreaterThanOrEqual(30_000); // the first test's ₹50 + ₹250 at least
}
