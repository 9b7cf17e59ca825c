/** Every workflow the worker registers. Only workflow-safe imports below this file. */
export { stationCommandWorkflow } from '../modules/stations/workflows/station-command.workflow';
export { otpWorkflow } from '../modules/identity/workflows/otp.workflow';
export { notificationWorkflow } from '../modules/engagement/workflows/notification.workflow';
export { paymentIntentWorkflow } from '../modules/payments/workflows/payment-intent.workflow';
export { refundWorkflow } from '../modules/payments/workflows/refund.workflow';
export { rentalWorkflow } from '../modules/rentals/workflows/rental.workflow';
export { noopWorkflow } from './noop.workflow';
export { pushSweepWorkflow } from '../modules/engagement/workflows/push-sweep.workflow';
