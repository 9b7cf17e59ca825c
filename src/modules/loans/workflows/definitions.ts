import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** The contract of the loans module's workflows: ids, inputs, signals, updates. */

export type BatteryAction = 'active' | 'inactive' | 'maintenance';

// ---- battery-control:<serial> ----
export const batteryControlWorkflowId = (serial: string) => `battery-control:${serial}`;
export interface BatteryControlInput {
  serial: string;
  action: BatteryAction;
  reason: string;
  ackTimeoutMs: number;
}
export interface BatteryControlResult {
  serial: string;
  status: BatteryAction;
  attempts: number;
}
/** A newer desired state (the last one wins) for a run that is still trying. */
export const desiredStatusSignal = defineSignal<[{ action: BatteryAction; reason: string }]>('desiredStatus');
/** The battery is back online (bridge: status/heartbeat after silence): try the command again now. */
export const batteryOnlineSignal = defineSignal('batteryOnline');
export type BatteryControlWorkflow = (input: BatteryControlInput) => Promise<BatteryControlResult>;

// ---- loan-application:<id> ----
export const loanApplicationWorkflowId = (id: number) => `loan-application:${id}`;
export interface LoanApplicationInput {
  applicationId: number;
  decisionTimeoutSeconds: number;
  /** The EMI rules the loan's schedule will run with (FLEET_GRACE_DAYS, FLEET_LATE_FEE_*, FLEET_OVERDUE_DISABLE_DAYS). */
  emiRules?: EmiRules;
}
export interface LoanDecision {
  by: 'nbfc' | 'finance';
  status: 'approved' | 'rejected';
  approvedAmountPaise?: number;
  interestRate?: number;
  reason?: string;
  actor?: string;
}
export type LoanApplicationState = 'submitted' | 'sent_to_nbfc' | 'approved' | 'rejected' | 'disbursed' | 'expired';
export interface LoanApplicationResult {
  applicationId: number;
  state: LoanApplicationState;
  loanId?: number;
}
/** The NBFC's signed webhook, verified and de-duplicated by the API. */
export const nbfcDecisionSignal = defineSignal<[LoanDecision]>('nbfcDecision');
/** Finance's approval (PUT /finance/applications/{id}/approve): the first decision wins, a later one is refused (409). */
export const approveApplicationUpdate = defineUpdate<{ state: LoanApplicationState; decidedBy: string }, [LoanDecision]>('approveApplication');
export const applicationStateQuery = defineQuery<{ state: LoanApplicationState; decidedBy?: string }>('applicationState');
export type LoanApplicationWorkflow = (input: LoanApplicationInput) => Promise<LoanApplicationResult>;

// ---- emi:<loanId> ----
export const emiWorkflowId = (loanId: number) => `emi:${loanId}`;
export interface EmiRules {
  graceDays: number;
  lateFeePerDayPaise: number;
  lateFeeCapPaise: number;
  disableAfterDays: number;
}
export interface EmiInput {
  loanId: number;
  serial: string;
  /** The instalment this run works on (continue-as-new carries it forward). */
  seq: number;
  tenure: number;
  rules: EmiRules;
  /** The battery was left disabled by the previous instalment's run. */
  disabled?: boolean;
}
/** A payment landed (payment webhook): the instalment is settled and a disabled battery re-enabled. */
export const emiPaidSignal = defineSignal<[{ seq: number; paymentId: string }]>('emiPaid');
/** Apply an overdue threshold now (POST /finance/auto-disable); answers whether the battery is disabled. */
export const autoDisableUpdate = defineUpdate<{ disabled: boolean; overdueDays: number }, [{ thresholdDays: number }]>('autoDisable');
/** The loan was foreclosed (its settlement paid and applied by the webhook): the schedule ends `closed`, a disabled battery enabled again. */
export const loanForeclosedSignal = defineSignal<[{ settlementId: number; paymentId: string }]>('loanForeclosed');
export const emiStateQuery = defineQuery<{ seq: number; status: string; overdueDays: number }>('emiState');
export type EmiWorkflow = (input: EmiInput) => Promise<{ loanId: number; status: 'closed' }>;

// ---- service-ticket:<id> ----
export const serviceTicketWorkflowId = (id: number) => `service-ticket:${id}`;
export interface ServiceTicketInput {
  ticketId: number;
  assignSlaSeconds: number;
  resolveSlaSeconds: number;
}
/** A technician took the ticket (manual assignment or POST /service/auto-assign). */
export const ticketAssignedSignal = defineSignal<[{ technicianId: string }]>('ticketAssigned');
export const ticketResolvedSignal = defineSignal('ticketResolved');
export type ServiceTicketWorkflow = (input: ServiceTicketInput) => Promise<{ ticketId: number; escalations: number }>;
