/**
 * Loans (seed 004, the fleet product): dealers, consumers and their KYC, batteries as devices
 * (`battery/<serial>/...`), loan applications with the NBFC, EMI schedules and auto-disable.
 */
export { loansEntities } from './entities';
export { AADHAAR_FORMAT, FLEET_USER_TYPES, PAN_FORMAT, type FleetUserType } from './rules/kyc';
export { emiSchedule, emiPaise, type Instalment } from './rules/emi';
export { fleetCaller, type FleetCaller } from './services/access';
export { FleetAuthService } from './services/fleet-auth.service';
export { ConsumerService } from './services/consumer.service';
export { BatteryService } from './services/battery.service';
export { batteryPresence, type BatteryReconcileOptions } from './services/battery-presence';
export { createLoanActivities, type LoanActivities, type LoanActivityDeps } from './activities/loan.activities';
export { batteryControlWorkflowId, type BatteryAction } from './workflows/definitions';
export { LoanApplicationService } from './services/loan-application.service';
export { NbfcWebhookService, type NbfcWebhookBody } from './services/nbfc-webhook.service';
export { EmiPaymentService } from './services/emi-payment.service';
export { FinanceService } from './services/finance.service';
export { FleetDeskService, FLEET_LOAN_STATES, type FleetLoanState } from './services/fleet-desk';
export { LoanSettlementService } from './services/loan-settlement.service';
export { accruedInterestPaise, foreclosureFeePaise, rescheduleAfterPrepayment } from './rules/settlement';
export { startNbfcSandbox, type NbfcSandbox } from './nbfc/nbfc.sandbox';
export { startRazorpaySandbox, type RazorpaySandbox } from './razorpay/razorpay.sandbox';
export { NBFC_SIGNATURE_HEADER, NBFC_EVENT_HEADER } from './nbfc/nbfc-signature';
export { ServiceTicketService } from './services/service-ticket.service';
export { FleetReportService } from './services/fleet-reports.service';
export { FleetMessagingService } from './services/fleet-messaging.service';
export { seedFleetDemo, FLEET_DEMO } from './services/fleet-demo';
export { loadFleetDemoLoans, FLEET_DEMO_LOANS, type FleetDemoLoan } from './services/fleet-demo-loans';
