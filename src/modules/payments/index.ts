/**
 * Payments: wallet top-ups through payment gateways (the `payment-intent:<id>` workflow), their
 * webhooks and callbacks, refunds (the `refund:<id>` workflow, decided by an admin) and manual
 * payouts, and the customer's wallet history. The gateways and their local sandboxes live in
 * ./gateways/<name>/; every one implements the PaymentGateway port.
 */
export { paymentsEntities } from './entities';
export { INTENT_STATUSES, type IntentStatus } from './entities/payment-intent.entity';
export { REFUND_STATUSES, type RefundStatus } from './entities/refund-request.entity';
export { GATEWAY_NAMES, gatewayDisplayName, parseLimits, paymentMethods, type Gateway, type Limits } from './rules/methods';

export type { GatewayRegistry } from './services/gateways';
export { PaymentIntentService, presentIntent, intentWorkflowId } from './services/payment-intent.service';
export { RefundService, presentRefund, refundWorkflowId } from './services/refund.service';
export { RefundPayoutService } from './services/refund-payout.service';
export { WebhookService } from './services/webhook.service';
export { TransactionsService, TRANSACTION_STATUSES, TRANSACTION_TYPES, type TransactionQuery } from './services/transactions.service';
export * from './gateways/registry';

export { createPaymentActivities, type PaymentActivities, type PaymentActivityDeps } from './activities/payment.activities';
export { createGatewayActivities, type GatewayActivities } from './activities/gateway.activities';
export { DEFAULT_LATE_CHECK, type LateCheckPolicy } from './activities/late-check.activities';
export { paymentsAttention, PAYMENT_RUN_KINDS, type ParkedRun, type PaymentRunKind } from './services/payments-attention';
export { ensurePaymentLateCheckSchedule, paymentLateCheckScheduleId } from './services/late-check-schedule';
export { listReviews as paymentReviews } from './services/payment-reviews';
export { createRefundActivities, type RefundActivities, type RefundActivityDeps } from './activities/refund.activities';
export * from './workflows/definitions';
export { topupStats } from './services/topup-stats';
