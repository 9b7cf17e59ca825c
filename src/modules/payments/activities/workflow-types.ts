/** The activity types the payments workflows proxy (types only: workflows import no activity code). */
export type { PaymentActivities } from './payment.activities';
export type { RefundActivities } from './refund.activities';
export type { GatewayActivities } from './gateway.activities';
