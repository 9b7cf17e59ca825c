import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ChargingActivities } from '../activities/charging.activities';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import { qpayCallbackSignal, qpayCheckNowUpdate, qpayStatusQuery, type QpayInvoiceResult, type QpayInvoiceWorkflow } from './qpay-definitions';

/** Database and money steps retry without a cap; a refusal (AppError) is final. */
const db = proxyActivities<ChargingActivities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } });
/** A look at QPay gives up after a few tries: the loop looks again on its next wake-up. */
const gateway = proxyActivities<ChargingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3 },
});

/**
 * One QPay top-up (`qpay-invoice:<invoice_id>`), started once the invoice exists: waits for the
 * callback (a signal), a manual check (update) or its back-off timer, and each time asks QPay's
 * payment/check, which alone decides: paid in full → the wallet is credited once through the
 * ledger and the user's NATS topic told; cancelled at QPay → `canceled`; still unpaid at
 * `expiresAt` → the invoice is cancelled (DELETE) and, unless it was paid meanwhile, `canceled`.
 */
export const qpayInvoiceWorkflow: QpayInvoiceWorkflow = async function qpayInvoiceWorkflow(input) {
  const s: QpayInvoiceResult = { status: 'pending' };
  const w = { hints: 0, seen: 0, wanted: 0, served: 0 };
  setHandler(qpayStatusQuery, () => s.status);
  setHandler(qpayCallbackSignal, () => void w.hints++);
  setHandler(qpayCheckNowUpdate, async () => {
    const ticket = ++w.wanted;
    await condition(() => w.served >= ticket || s.status !== 'pending');
    return s.status;
  });
  setBusinessStatus('pending');
  const ask = { invoiceId: input.invoiceId, amount: input.amount };
  let wait = input.pollMs;
  while (s.status === 'pending') {
    const remaining = input.expiresAt - Date.now();
    if (remaining > 0 && !(await condition(() => w.hints > w.seen || w.wanted > w.served, Math.min(wait, remaining))))
      wait = Math.min(wait * 2, input.maxPollMs);
    w.seen = w.hints;
    const ticket = w.wanted;
    let look = await gateway.qpayLook(ask).catch(() => undefined);
    if (look?.state !== 'paid' && look?.state !== 'canceled' && Date.now() >= input.expiresAt) {
      await db.qpayCancelInvoice({ invoiceId: input.invoiceId });
      look = await db.qpayLook(ask); // paid just before the DELETE: the payment wins
      if (look.state === 'open') look = { state: 'canceled' };
    }
    if (look?.state === 'paid') {
      await db.qpayCredit({
        replenishmentId: input.replenishmentId,
        invoiceId: input.invoiceId,
        userId: input.userId,
        amountMinor: input.amountMinor,
        paymentId: look.paymentId,
      });
      Object.assign(s, { status: 'success', paymentId: look.paymentId });
      await gateway.qpayNotify({ userId: input.userId, amount: input.amount, invoiceId: input.invoiceId }).catch(() => undefined);
    } else if (look?.state === 'canceled') {
      await db.qpaySettle({ replenishmentId: input.replenishmentId, status: 'canceled' });
      s.status = 'canceled';
    }
    w.served = Math.max(w.served, ticket);
  }
  setBusinessStatus(s.status);
  return s;
};
