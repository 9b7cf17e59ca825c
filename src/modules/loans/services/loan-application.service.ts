import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Config } from '../../../config';
import { AppError, Errors } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { approveApplicationUpdate, loanApplicationWorkflowId, type EmiRules, type LoanApplicationWorkflow, type LoanDecision } from '../workflows/definitions';
import { dealerScope, notYours, requireRole, type FleetCaller } from './access';

export const presentApplication = (r: Record<string, unknown>) => ({
  id: Number(r.id),
  consumer_id: Number(r.consumer_id),
  battery_id: Number(r.battery_id),
  dealer_id: r.dealer_id as string,
  amount: Number(r.amount_paise) / 100,
  tenure_months: Number(r.tenure_months),
  status: r.status as string,
  nbfc_reference: (r.nbfc_reference as string | null) ?? null,
  approved_amount: r.approved_amount_paise === null ? null : Number(r.approved_amount_paise) / 100,
  interest_rate: r.interest_rate === null ? null : Number(r.interest_rate),
  decided_by: (r.decided_by as string | null) ?? null,
  created_at: new Date(r.created_at as string).toISOString(),
});

/** The EMI rules a new loan's schedule runs with (FLEET_GRACE_DAYS, FLEET_LATE_FEE_*, FLEET_OVERDUE_DISABLE_DAYS). */
export const emiRulesOf = (c: Config): EmiRules => ({
  graceDays: c.FLEET_GRACE_DAYS,
  lateFeePerDayPaise: c.FLEET_LATE_FEE_PER_DAY_PAISE,
  lateFeeCapPaise: c.FLEET_LATE_FEE_CAP_PAISE,
  disableAfterDays: c.FLEET_OVERDUE_DISABLE_DAYS,
});

export interface LoanApplicationServiceDeps {
  orm: MikroORM;
  temporal: Client;
  config: Config;
}

/** Loan applications: each is a `loan-application:<id>` workflow; finance decides through its update. */
export class LoanApplicationService {
  constructor(private readonly deps: LoanApplicationServiceDeps) {}

  async submit(caller: FleetCaller, input: { consumer_id: number; battery_id: number; amount: number; tenure_months: number }) {
    requireRole(caller, 'dealer', 'admin');
    const exec = executor(this.deps.orm);
    const scope = dealerScope(caller, 'c.dealer_id');
    const [consumer] = await exec(`select c.id, c.dealer_id, c.kyc_status from fleet_consumers c where c.id = ? and ${scope.sql}`, [
      input.consumer_id,
      ...scope.params,
    ]);
    if (!consumer) throw notYours('Consumer');
    const [battery] = await exec(`select id, dealer_id from fleet_batteries where id = ?`, [input.battery_id]);
    if (!battery || (battery.dealer_id && battery.dealer_id !== consumer.dealer_id)) throw notYours('Battery');
    if (consumer.kyc_status !== 'verified') throw new AppError('KYC_NOT_VERIFIED', 'The consumer’s KYC must be verified before a loan application', 409);
    const [open] = await exec(`select id from fleet_loan_applications where battery_id = ? and status in ('submitted','sent_to_nbfc','approved')`, [
      battery.id,
    ]);
    if (open) throw Errors.conflict('APPLICATION_OPEN', `Application ${open.id} for this battery is still open`);
    const [row] = await exec(
      `insert into fleet_loan_applications (dealer_id, consumer_id, battery_id, amount_paise, tenure_months) values (?, ?, ?, ?, ?) returning *`,
      [consumer.dealer_id, consumer.id, battery.id, Math.round(input.amount * 100), input.tenure_months],
    );
    const c = this.deps.config;
    await this.deps.temporal.workflow.start<LoanApplicationWorkflow>('loanApplicationWorkflow', {
      workflowId: loanApplicationWorkflowId(row.id),
      taskQueue: c.TEMPORAL_TASK_QUEUE,
      args: [
        {
          applicationId: row.id,
          decisionTimeoutSeconds: c.FLEET_DECISION_TIMEOUT_SECONDS,
          emiRules: emiRulesOf(c),
        },
      ],
      typedSearchAttributes: startAttributes({ surface: 'fleet', status: 'submitted', loanId: `application:${row.id}` }),
    });
    return presentApplication(row);
  }

  async get(id: number) {
    const [row] = await executor(this.deps.orm)(`select * from fleet_loan_applications where id = ?`, [id]);
    if (!row) throw Errors.notFound('Application');
    return presentApplication(row);
  }

  /** Waits (up to `ms`) until the NBFC has the application, for POST /nbfc/submit-application. */
  async waitForNbfc(id: number, ms = 15_000) {
    const until = Date.now() + ms;
    let app = await this.get(id);
    while (!app.nbfc_reference && Date.now() < until && app.status === 'submitted') {
      await new Promise((r) => setTimeout(r, 100));
      app = await this.get(id);
    }
    return app;
  }

  /** Finance's decision: the first decision (theirs or the NBFC's) wins; a later one is 409 ALREADY_DECIDED. */
  async approve(caller: FleetCaller, id: number, body: { status: 'approved' | 'rejected'; approved_amount?: number; interest_rate?: number; reason?: string }) {
    requireRole(caller, 'admin');
    await this.get(id);
    if (body.status === 'approved' && (body.approved_amount === undefined || body.interest_rate === undefined))
      throw Errors.validation([{ field: 'body.approved_amount', message: 'approved_amount and interest_rate are required to approve', code: 'custom' }]);
    const decision: LoanDecision = {
      by: 'finance',
      status: body.status,
      approvedAmountPaise: body.approved_amount === undefined ? undefined : Math.round(body.approved_amount * 100),
      interestRate: body.interest_rate,
      reason: body.reason,
      actor: caller.memberId,
    };
    try {
      await this.deps.temporal.workflow.getHandle(loanApplicationWorkflowId(id)).executeUpdate(approveApplicationUpdate, { args: [decision] });
    } catch (err) {
      const app = await this.get(id);
      if (err instanceof WorkflowUpdateFailedError || ['approved', 'rejected', 'disbursed', 'expired'].includes(app.status))
        throw new AppError('ALREADY_DECIDED', `Application ${id} was already decided (${app.status}${app.decided_by ? ` by ${app.decided_by}` : ''})`, 409);
      throw err;
    }
    return this.waitDecided(id);
  }

  private async waitDecided(id: number) {
    const until = Date.now() + 15_000;
    let app = await this.get(id);
    while (['submitted', 'sent_to_nbfc'].includes(app.status) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      app = await this.get(id);
    }
    return app;
  }
}
