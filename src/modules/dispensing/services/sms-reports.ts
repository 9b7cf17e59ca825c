import type { MikroORM } from '@mikro-orm/postgresql';
import { executor } from '../../../kernel/sql';

/** Africa's Talking delivery report (form post: id, status, phoneNumber, failureReason, ...) → the SMS log. Returns whether the message was ours. */
export async function recordDeliveryReport(orm: MikroORM, r: { id: string; status: string; failureReason?: string }): Promise<boolean> {
  const q = executor(orm);
  const rows = await q(`update water_sms_log set status = ?, failure_reason = ?, updated_at = now() where message_id = ? returning transaction_reference`, [
    r.status.slice(0, 24),
    r.failureReason?.slice(0, 64) ?? null,
    r.id,
  ]);
  await q(`insert into water_gateway_events (source, transaction_reference, outcome, reason, body) values ('sms_report', ?, ?, ?, ?)`, [
    rows[0]?.transaction_reference ?? null,
    rows.length ? 'applied' : 'rejected',
    rows.length ? null : 'unknown message id',
    JSON.stringify(r),
  ]);
  return rows.length > 0;
}
