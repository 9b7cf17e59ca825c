import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, Errors } from '../../../kernel/errors';
import { formatMinor, toInt } from '../../../kernel/money';
import { gatewayDisplayName } from '../rules/methods';
import type { NotificationService } from '../../engagement';
import { presentRefund } from './refund.service';
import { gatewayClearing, LedgerService, systemAccount } from '../../ledger';
import { refundKeys } from '../rules/refund-keys';

/**
 * The payout leaves the books: refunds payable → out of the gateway's clearing account
 * (`payout:<refundId>`, once), so clearing nets to zero. Refunds approved before the payout-due
 * entry existed moved clearing at their reversal already and post nothing here.
 */
async function postPayout(orm: MikroORM, row: Record<string, unknown>, reference: string): Promise<void> {
  const ledger = new LedgerService(orm);
  const refundId = String(row.id);
  const due = await ledger.findByKey(refundKeys.payoutDue(refundId));
  if (!due || (await ledger.findReversalOf(due.id))) return;
  const amountMinor = toInt(row.amount_minor);
  const currency = String(row.currency);
  await ledger.post({
    key: refundKeys.payout(refundId),
    type: 'refund',
    userId: String(row.user_id),
    description: `Refund paid back by hand through ${String(row.gateway)} (${reference})`,
    metadata: { refund_id: refundId, reference },
    postings: [
      { account: systemAccount('refunds', currency), amountMinor: -amountMinor },
      { account: gatewayClearing(String(row.gateway), currency), amountMinor },
    ],
  });
}

/**
 * Manual payouts: a refund of a top-up whose gateway has no refund API (eSewa) takes the money out
 * of the wallet, and finance pays it back to the customer by hand. Recording that payout (with the
 * bank or wallet reference) closes it once and tells the customer.
 */
export class RefundPayoutService {
  constructor(private readonly deps: { orm: MikroORM; notifications: NotificationService }) {}

  async markPaid(refundId: string, adminId: string, input: { reference: string; note?: string }) {
    const conn = this.deps.orm.em.getConnection();
    const [pending] = await conn.execute(`select * from refund_requests where id = ? and payout_status = 'pending'`, [refundId]);
    if (pending && String(pending.user_id) === adminId)
      throw new AppError('SELF_ACTION_FORBIDDEN', 'An admin cannot record the payout of their own refund', 403);
    if (pending) await postPayout(this.deps.orm, pending, input.reference);
    const [row] = await conn.execute(
      `update refund_requests set payout_status = 'paid', payout_reference = ?, payout_note = ?, payout_by = ?, paid_out_at = now()
       where id = ? and payout_status = 'pending' returning *`,
      [input.reference, input.note ?? null, adminId, refundId],
    );
    if (!row) {
      const [r] = await conn.execute(`select payout_status, payout_reference from refund_requests where id = ?`, [refundId]);
      if (!r) throw Errors.notFound('Refund request');
      if (r.payout_status === 'paid')
        throw new AppError('PAYOUT_ALREADY_RECORDED', `This payout was already recorded (${r.payout_reference})`, 409, { reference: r.payout_reference });
      throw new AppError('NO_PAYOUT_DUE', 'This refund needs no manual payout (not approved yet, or refunded through the gateway or to the wallet)', 409);
    }
    await this.deps.notifications.notify(
      String(row.user_id),
      {
        type: 'refund_status',
        title: 'Refund paid out',
        body: `Your refund of ${row.currency} ${formatMinor(toInt(row.amount_minor), String(row.currency))} was paid back to your ${gatewayDisplayName(row.gateway as string | null)} account (reference ${input.reference}).`,
        data: { refund_id: refundId, status: 'paid_out', reference: input.reference },
      },
      ['in_app', 'push'],
      { dedupeKey: `refund-payout:${refundId}` },
    );
    return presentRefund(row);
  }
}
