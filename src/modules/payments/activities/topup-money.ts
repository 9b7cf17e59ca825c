import { ApplicationFailure, Context } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { gatewayClearing, userWallet, LedgerService, PointsService } from '../../ledger';
import { NotificationService } from '../../engagement';
import type { MoneyNotification } from '../services/money-notification';

export interface SettleInput {
  intentId: string;
  userId: string;
  gateway: string;
  amountMinor: number;
  gatewayTxnId?: string | null;
}

/**
 * Credits the wallet exactly once (`topup:<intentId>`), awards the top-up points once
 * (`points:topup:<intentId>`), then marks the intent paid: a reader that sees `success` sees both.
 * A late payment (an intent already closed `expired`) is credited the same way.
 */
export async function settleTopupOnce(orm: MikroORM, input: SettleInput): Promise<{ entryId: string; pointsAwarded: number }> {
  const ledger = new LedgerService(orm);
  const conn = orm.em.getConnection();
  const [intent] = await conn.execute(`select currency from payment_intents where id = ?`, [input.intentId]);
  if (!intent) throw ApplicationFailure.nonRetryable(`intent ${input.intentId} not found`, 'IntentNotFound');
  const currency = String(intent.currency);
  const entry = await ledger.post({
    key: `topup:${input.intentId}`,
    type: 'topup',
    userId: input.userId,
    description: `Wallet top-up via ${input.gateway}`,
    metadata: { gateway: input.gateway, intent_id: input.intentId, gateway_txn_id: input.gatewayTxnId ?? null },
    postings: [
      { account: userWallet(input.userId, currency), amountMinor: input.amountMinor },
      { account: gatewayClearing(input.gateway, currency), amountMinor: -input.amountMinor },
    ],
  });
  const award = await new PointsService(ledger).awardTopup(input.userId, input.intentId, input.amountMinor);
  await conn.execute(
    `update payment_intents set status = 'success', journal_entry_id = ?, gateway_txn_id = coalesce(?, gateway_txn_id), failure_reason = null,
     late_check_at = null, completed_at = coalesce(completed_at, now()), updated_at = now() where id = ?`,
    [entry.id, input.gatewayTxnId ?? null, input.intentId],
  );
  return { entryId: entry.id, pointsAwarded: award ? award.postings.find((l) => l.kind === 'points')!.amountMinor : 0 };
}

/** Payment/refund status to the user's in-app inbox (notifications context), once per dedupe key. */
export async function notifyMoney(orm: MikroORM, n: MoneyNotification): Promise<void> {
  const ctx = Context.current();
  const service = new NotificationService({ orm, temporal: ctx.client, taskQueue: ctx.info.taskQueue.replace(/-gateways$/, '') });
  await service.notify(n.userId, { type: n.type, title: n.title, body: n.message, data: n.data }, ['in_app'], { dedupeKey: n.dedupeKey });
}
