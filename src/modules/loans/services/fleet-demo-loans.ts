import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { surfaceProfile, type Config } from '../../../config';
import { executor } from '../../../kernel/sql';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { disburse } from '../activities/application.activities';
import { dueDate } from '../rules/emi';
import { istDate } from '../rules/ledger-keys';
import { emiWorkflowId, type EmiWorkflow } from '../workflows/definitions';
import { FLEET_DEMO } from './fleet-demo';
import { emiRulesOf } from './loan-application.service';

const DAY = 86_400_000;

/** The two demo loans: BAT001's is current (first EMI due in a month), BAT002's first EMI fell due past the disable threshold. */
export const FLEET_DEMO_LOANS = [
  { serial: 'BAT001', consumerPhone: FLEET_DEMO.consumers[0].phone, amountPaise: 4_500_000, rate: 12.5, tenure: 12, overdue: false },
  { serial: 'BAT002', consumerPhone: FLEET_DEMO.consumers[1].phone, amountPaise: 4_000_000, rate: 14, tenure: 12, overdue: true },
] as const;

export interface FleetDemoLoansDeps {
  orm: MikroORM;
  temporal: Client;
  config: Config;
}

export interface FleetDemoLoan {
  serial: string;
  loanId: number;
  firstDue: string;
  workflowId: string;
}

/**
 * The fleet demo's loans, once (a battery that already has a loan is left alone): each an
 * approved application (decided by finance, "demo data"), disbursed as the workflow would (loan,
 * reducing-balance schedule, ledger entry) and its `emi:<loanId>` schedule started. The overdue
 * one is back-dated so its first instalment fell due `FLEET_OVERDUE_DISABLE_DAYS + 1` days ago:
 * its schedule, started after `overdueStartDelaySeconds` (the demo clock; 0 = at once), recognises
 * the interest, sends the payment link, posts the late fee and disables the battery through
 * `battery-control:BAT002`, exactly as a real overdue loan would be on that day.
 */
export async function loadFleetDemoLoans(deps: FleetDemoLoansDeps, opts: { nowMs?: number; overdueStartDelaySeconds?: number } = {}) {
  const exec = executor(deps.orm);
  const now = opts.nowMs ?? Date.now();
  const created: FleetDemoLoan[] = [];
  for (const demo of FLEET_DEMO_LOANS) {
    const [row] = await exec(
      `select b.id as battery_id, b.dealer_id, c.id as consumer_id, (select count(*)::int from fleet_loans l where l.battery_id = b.id) as loans
         from fleet_batteries b join fleet_consumers c on c.id = b.owner_id where b.serial_number = ? and c.phone = ?`,
      [demo.serial, demo.consumerPhone],
    );
    if (!row || row.loans > 0) continue;
    const [app] = await exec(
      `insert into fleet_loan_applications (dealer_id, consumer_id, battery_id, amount_paise, tenure_months, status, approved_amount_paise, interest_rate, decided_by, decided_at, reason)
       values (?, ?, ?, ?, ?, 'approved', ?, ?, 'finance', now(), 'demo data') returning id`,
      [row.dealer_id, row.consumer_id, row.battery_id, demo.amountPaise, demo.tenure, demo.amountPaise, demo.rate],
    );
    // Overdue: disbursed one month before the day that is threshold + 1 days ago (IST), so the first EMI fell due then.
    const overdueDue = istDate(now - (deps.config.FLEET_OVERDUE_DISABLE_DAYS + 1) * DAY);
    const disbursedAtMs = demo.overdue ? Date.parse(`${dueDate(overdueDue, 0)}T12:00:00+05:30`) : now;
    const loan = await disburse(deps.orm, surfaceProfile(deps.config, 'fleet').currency, { applicationId: app.id, disbursedAtMs });
    const workflowId = emiWorkflowId(loan.loanId);
    await startEmi(deps, loan, demo.overdue ? (opts.overdueStartDelaySeconds ?? 0) : 0);
    const [first] = await exec(`select to_char(due_date, 'YYYY-MM-DD') as due from fleet_emi_instalments where loan_id = ? and seq = 1`, [loan.loanId]);
    created.push({ serial: demo.serial, loanId: loan.loanId, firstDue: first.due, workflowId });
  }
  return created;
}

/** `emi:<loanId>` with the config's EMI rules, as the loan application workflow starts it. */
async function startEmi(deps: FleetDemoLoansDeps, loan: { loanId: number; serial: string; tenure: number }, delaySeconds: number) {
  const c = deps.config;
  try {
    await deps.temporal.workflow.start<EmiWorkflow>('emiWorkflow', {
      workflowId: emiWorkflowId(loan.loanId),
      taskQueue: c.TEMPORAL_TASK_QUEUE,
      args: [
        {
          loanId: loan.loanId,
          serial: loan.serial,
          seq: 1,
          tenure: loan.tenure,
          rules: emiRulesOf(c),
        },
      ],
      ...(delaySeconds > 0 ? { startDelay: `${delaySeconds} seconds` } : {}),
      typedSearchAttributes: startAttributes({ surface: 'fleet', loanId: String(loan.loanId), serial: loan.serial }),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
