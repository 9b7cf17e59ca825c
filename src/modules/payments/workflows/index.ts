/** The payments module's workflows, for the worker's bundle (workflow-safe imports only). */
export { paymentIntentWorkflow } from './payment-intent.workflow';
export { refundWorkflow } from './refund.workflow';
