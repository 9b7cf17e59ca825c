/** The dispensing module's workflows (registered by src/workers/workflows.ts). */
export { waterPaymentWorkflow } from './water-payment.workflow';
export { dispenseOtpWorkflow } from './dispense-otp.workflow';
