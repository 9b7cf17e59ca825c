import { ApplicationFailure, condition, ParentClosePolicy, proxyActivities, setHandler, startChild } from '@temporalio/workflow';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import { SA_LOAN_ID, SA_SERIAL, SA_SURFACE } from '../../../kernel/temporal/search-attributes';
import type { LoanActivities } from '../activities/loan.activities';
import { EMI_RULES_DEFAULT } from './emi-rules';
import {
  applicationStateQuery,
  approveApplicationUpdate,
  emiWorkflowId,
  nbfcDecisionSignal,
  type EmiWorkflow,
  type LoanApplicationInput,
  type LoanApplicationResult,
  type LoanApplicationState,
  type LoanDecision,
} from './definitions';

const acts = proxyActivities<LoanActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['NbfcRefused'] },
});

/**
 * `loan-application:<id>`: submitted → sent to the NBFC → a decision (the NBFC's signed webhook
 * as a signal, or finance's approval as an update; the first decision wins, a later approval is
 * refused) → approved → disbursed (loan, schedule, ledger) → starts `emi:<loanId>`. Rejected, or
 * no decision within the timeout (`expired`), ends it in that state.
 */
export async function loanApplicationWorkflow(input: LoanApplicationInput): Promise<LoanApplicationResult> {
  let state: LoanApplicationState = 'submitted';
  let decision: LoanDecision | undefined;
  const moveTo = async (next: LoanApplicationState, d?: LoanDecision) => {
    state = next;
    setBusinessStatus(next);
    await acts.recordApplicationState({ applicationId: input.applicationId, state: next, decision: d });
  };
  setHandler(applicationStateQuery, () => ({ state, decidedBy: decision?.by }));
  setHandler(nbfcDecisionSignal, (d) => {
    decision ??= d;
  });
  setHandler(
    approveApplicationUpdate,
    (d) => {
      decision = d;
      return { state: d.status, decidedBy: d.by };
    },
    {
      validator: (_d: LoanDecision) => {
        if (decision) throw ApplicationFailure.create({ type: 'AlreadyDecided', message: `already ${decision.status} by ${decision.by}` });
      },
    },
  );

  try {
    await acts.submitApplicationToNbfc({ applicationId: input.applicationId });
    if (!decision) {
      state = 'sent_to_nbfc';
      setBusinessStatus(state);
    }
  } catch {
    // The NBFC refused the submission itself: finance can still decide; the timeout ends it otherwise.
  }
  const decided = await condition(() => decision !== undefined, input.decisionTimeoutSeconds * 1000);
  if (!decided || !decision) {
    await moveTo('expired');
    return { applicationId: input.applicationId, state };
  }
  if (decision.status === 'rejected') {
    await moveTo('rejected', decision);
    return { applicationId: input.applicationId, state };
  }
  await moveTo('approved', decision);
  const loan = await acts.disburseLoan({ applicationId: input.applicationId, disbursedAtMs: Date.now() });
  state = 'disbursed';
  setBusinessStatus(state);
  await startChild<EmiWorkflow>('emiWorkflow', {
    workflowId: emiWorkflowId(loan.loanId),
    args: [{ loanId: loan.loanId, serial: loan.serial, seq: 1, tenure: loan.tenure, rules: input.emiRules ?? EMI_RULES_DEFAULT }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    typedSearchAttributes: [
      { key: SA_SURFACE, value: 'fleet' },
      { key: SA_LOAN_ID, value: String(loan.loanId) },
      { key: SA_SERIAL, value: loan.serial },
    ],
  });
  return { applicationId: input.applicationId, state, loanId: loan.loanId };
}
