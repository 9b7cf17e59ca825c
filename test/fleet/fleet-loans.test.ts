import { emiSchedule } from '../../src/modules/loans';
import { NBFC_SIGNATURE_HEADER } from '../../src/modules/loans';
import { eventually, type TestStack } from '../support/stack';
import { consumerWithBattery, saveHistory, type FleetClient, startFleetStack, type startFleetSandboxes } from './fleet-support';

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
