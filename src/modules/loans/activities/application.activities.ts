import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';
import { surfaceProfile } from '../../../config';
import { executor, inTransaction } from '../../../kernel/sql';
import { LedgerService } from '../../ledger';
import { dueDate, emiSchedule } from '../rules/emi';
import { istDate, lenderFunding, loanReceivable } from '../rules/ledger-keys';
import { NbfcRefusedError, submitNbfcApplication } from '../nbfc/nbfc.client';
import type { LoanApplicationState, LoanDecision } from '../workflows/definitions';
import type { LoanActivityDeps } from './loan.activities';

/** Loan applications: the NBFC submission, the decision on the row, the disbursement with its schedule and ledger entry. */
export function createApplicationActivities(deps: LoanActivityDeps) {
  const exec = executor(deps.orm);
  const currency = surfaceProfile(deps.config, 'fleet').currency;
  return {
    async submitApplicationToNbfc(input: { applicationId: number }): Promise<{ nbfcReference: string }> {
      const [app] = await exec(
        `select a.id, a.amount_paise, a.tenure_months, c.name, c.phone, c.pan, c.aadhaar_masked
           from fleet_loan_applications a join fleet_consumers c on c.id = a.consumer_id where a.id = ?`,
        [input.applicationId],
      );
      try {
        const sent = await submitNbfcApplication(
          { baseUrl: deps.config.NBFC_BASE_URL, apiKey: deps.config.NBFC_API_KEY },
          {
            partner_reference: String(app.id),
            applicant: { name: app.name, mobile: app.phone, pan: app.pan, aadhaar_last4: app.aadhaar_masked ? String(app.aadhaar_masked).slice(-4) : null },
            loan: { amount: Number(app.amount_paise) / 100, tenure_months: app.tenure_months, purpose: 'ev_battery' },
          },
        );
        await exec(`update fleet_loan_applications set status = 'sent_to_nbfc', nbfc_reference = ?, updated_at = now() where id = ? and status = 'submitted'`, [
          sent.application_id,
          app.id,
        ]);
        return { nbfcReference: sent.application_id };
      } catch (err) {
        if (err instanceof NbfcRefusedError) throw ApplicationFailure.nonRetryable(err.message, 'NbfcRefused');
        throw err;
      }
    },

    async recordApplicationState(input: { applicationId: number; state: LoanApplicationState; decision?: LoanDecision }): Promise<void> {
      const d = input.decision;
      await exec(
        `update fleet_loan_applications set status = ?, approved_amount_paise = coalesce(?, approved_amount_paise), interest_rate = coalesce(?, interest_rate),
                decided_by = coalesce(?, decided_by), decided_at = case when ? then coalesce(decided_at, now()) else decided_at end, reason = coalesce(?, reason), updated_at = now()
          where id = ?`,
        [input.state, d?.approvedAmountPaise ?? null, d?.interestRate ?? null, d?.by ?? null, Boolean(d), d?.reason ?? null, input.applicationId],
      );
    },

    /** Creates the loan (once per application), its schedule from the disbursement day, and the disbursement entry. */
    disburseLoan: (input: { applicationId: number; disbursedAtMs: number }) => disburse(deps.orm, currency, input),
  };
}

/** The loan (once per application), its schedule from the disbursement day, and the disbursement entry, in one transaction. */
export async function disburse(
  orm: MikroORM,
  currency: string,
  input: { applicationId: number; disbursedAtMs: number },
): Promise<{ loanId: number; serial: string; tenure: number }> {
  return inTransaction(orm, async (tx) => {
    const [app] = await tx(
      `select a.*, b.serial_number from fleet_loan_applications a join fleet_batteries b on b.id = a.battery_id where a.id = ? for update of a`,
      [input.applicationId],
    );
    const [existing] = await tx(`select id from fleet_loans where application_id = ?`, [app.id]);
    if (existing) return { loanId: existing.id, serial: app.serial_number, tenure: app.tenure_months };
    const principal = Number(app.approved_amount_paise);
    const rate = Number(app.interest_rate);
    const schedule = emiSchedule(principal, rate, app.tenure_months, dueDate(istDate(input.disbursedAtMs), 2));
    const [loan] = await tx(
      `insert into fleet_loans (application_id, dealer_id, consumer_id, battery_id, principal_paise, interest_rate, tenure_months, emi_paise, disbursed_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, to_timestamp(? / 1000.0)) returning id`,
      [app.id, app.dealer_id, app.consumer_id, app.battery_id, principal, rate, app.tenure_months, schedule[0].emiPaise, input.disbursedAtMs],
    );
    for (const i of schedule)
      await tx(`insert into fleet_emi_instalments (loan_id, seq, due_date, emi_paise, principal_paise, interest_paise) values (?, ?, ?, ?, ?, ?)`, [
        loan.id,
        i.seq,
        i.dueDate,
        i.emiPaise,
        i.principalPaise,
        i.interestPaise,
      ]);
    await tx(`update fleet_loan_applications set status = 'disbursed', updated_at = now() where id = ?`, [app.id]);
    await new LedgerService(orm).post(
      {
        key: `loan-disbursement:${loan.id}`,
        type: 'loan_disbursement',
        description: `Loan ${loan.id} disbursed (application ${app.id})`,
        metadata: { loanId: loan.id, applicationId: app.id },
        postings: [
          { account: loanReceivable(loan.id, currency), amountMinor: principal },
          { account: lenderFunding(currency), amountMinor: -principal },
        ],
      },
      tx,
    );
    return { loanId: loan.id, serial: app.serial_number, tenure: app.tenure_months };
  });
}
