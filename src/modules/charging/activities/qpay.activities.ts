import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../../config';
import { inTransaction, executor } from '../../../kernel/sql';
import { gatewayClearing, LedgerService, userWallet } from '../../ledger';
import { qpayClient } from '../services/qpay-settings';

type Push = (userId: string, message: unknown, msgId?: string) => Promise<void>;

/** The QPay top-up's side effects: looks at QPay, the credit (once), the row, the NATS message. */
export function createQpayActivities(orm: MikroORM, config: Config, currency: string, push: Push) {
  const qpay = qpayClient(config);
  const exec = executor(orm);
  const ledger = new LedgerService(orm);
  return {
    qpayLook: (input: { invoiceId: string; amount: number }) => qpay.look(input.invoiceId, input.amount),

    qpayCancelInvoice: (input: { invoiceId: string }) => qpay.cancelInvoice(input.invoiceId),

    /** The wallet gets the top-up once: the row leaves `pending` and the entry `qpay:<invoice_id>` is posted in one transaction. */
    async qpayCredit(input: { replenishmentId: string; invoiceId: string; userId: string; amountMinor: number; paymentId: string }): Promise<boolean> {
      return inTransaction(orm, async (tx) => {
        const rows = await tx(
          `update ev_replenishments set status = 'success', payment_id = ?, settled_at = now() where id = ? and status = 'pending' returning id`,
          [input.paymentId, input.replenishmentId],
        );
        if (rows.length === 0) return false;
        await ledger.post(
          {
            key: `qpay:${input.invoiceId}`,
            type: 'topup',
            userId: input.userId,
            description: 'QPay top-up',
            metadata: { invoiceId: input.invoiceId, paymentId: input.paymentId },
            postings: [
              { account: userWallet(input.userId, currency), amountMinor: input.amountMinor },
              { account: gatewayClearing('qpay', currency), amountMinor: -input.amountMinor },
            ],
          },
          tx,
        );
        return true;
      });
    },

    async qpaySettle(input: { replenishmentId: string; status: 'canceled' | 'error' }): Promise<void> {
      await exec(`update ev_replenishments set status = ?, settled_at = now() where id = ? and status = 'pending'`, [input.status, input.replenishmentId]);
    },

    /** The seed's message on the user's own topic, after the credit. */
    /**
     * The app's `success` message. The activity is at-least-once (a worker that dies between the
     * publish and reporting it done publishes again on the retry), so the message names its top-up:
     * `invoice_id` in the payload and `Nats-Msg-Id: qpay:<invoice_id>`; a second one with the same
     * id is the same top-up. A run from before `invoiceId` was passed sends the seed's message alone.
     */
    qpayNotify: (input: { userId: string; amount: number; invoiceId?: string }) =>
      input.invoiceId
        ? push(input.userId, { replenishment: { status: 'success', amount: input.amount, invoice_id: input.invoiceId } }, `qpay:${input.invoiceId}`)
        : push(input.userId, { replenishment: { status: 'success', amount: input.amount } }),
  };
}
