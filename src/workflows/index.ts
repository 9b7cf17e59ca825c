/** Every workflow the worker registers. Only workflow-safe imports below this file. */
export { stationCommandWorkflow } from './station-command.workflow';
export { otpWorkflow } from './otp.workflow';
export { notificationWorkflow } from './notification.workflow';
export { paymentIntentWorkflow } from './payment-intent.workflow';
export { refundWorkflow } from './refund.workflow';
export { rentalWorkflow } from './rental.workflow';
export { noopWorkflow } from './noop.workflow';
export { pushSweepWorkflow } from './push-sweep.workflow';
