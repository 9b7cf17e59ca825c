import { PaymentIntent } from './payment-intent.entity';
import { PaymentReview } from './payment-review.entity';
import { PaymentWebhookEvent } from './payment-webhook-event.entity';
import { RefundRequest } from './refund-request.entity';

/** The payments module's MikroORM entities (its tables), listed explicitly so discovery works the same in ts, js and jest. */
export const paymentsEntities = [PaymentIntent, PaymentWebhookEvent, RefundRequest, PaymentReview];
export { PaymentIntent, PaymentWebhookEvent, RefundRequest, PaymentReview };
