export { chargingWorkflow } from './charging.workflow';
export { qpayInvoiceWorkflow } from './qpay-invoice.workflow';
