/** The loans module's workflows, registered by src/workers/workflows.ts. */
export { batteryControlWorkflow } from './battery-control.workflow';
export { loanApplicationWorkflow } from './loan-application.workflow';
export { emiWorkflow } from './emi.workflow';
export { serviceTicketWorkflow } from './service-ticket.workflow';
