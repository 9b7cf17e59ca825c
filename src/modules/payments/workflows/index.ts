/** The payments module's workflows, for the worker's bundle (workflow-safe imports only). */
export { paymentIntentWorkflow } from './payment-intent.workflow';
export { refundWorkflow } from './refund.workflow';
export { refundCompensationWorkflow } from './refund-compensation.workflow';
export { paymentLateCheckWorkflow } from './late-check.workflow';
