import type { MikroORM } from '@mikro-orm/postgresql';
import { executor, isUniqueViolation } from '../../../kernel/sql';
import { paystackSignatureValid } from '../gateways/paystack/paystack.client';

/**
 * A Paystack webhook: the signature over the raw body first (forged or unsigned: recorded,
 * nothing changes); a repeated event (same event and transaction id) counts once. Returns the
 * reference to hint, if any.
 */
export async function acceptPaystackWebhook(
  orm: MikroORM,
  secretKey: string,
  raw: Buffer | undefined,
  signature: string | undefined,
  body: unknown,
): Promise<{ outcome: 'forged' | 'duplicate' | 'ignored' | 'hint'; reference?: string }> {
  const q = executor(orm);
  const b = (body ?? {}) as { event?: string; data?: { id?: number; reference?: string } };
  const reference = typeof b.data?.reference === 'string' ? b.data.reference.slice(0, 40) : undefined;
  const record = (outcome: string, reason: string | null, dedupeKey: string | null = null) =>
    q(`insert into water_gateway_events (source, dedupe_key, transaction_reference, outcome, reason, body) values ('paystack_webhook', ?, ?, ?, ?, ?)`, [
      dedupeKey,
      reference ?? null,
      outcome,
      reason,
      JSON.stringify(body ?? null).slice(0, 10_000),
    ]);
  if (!paystackSignatureValid(secretKey, raw, signature)) {
    await record('forged', 'missing or invalid x-paystack-signature');
    return { outcome: 'forged' };
  }
  if (b.event !== 'charge.success' || !reference) {
    await record('ignored', `event ${String(b.event)}`);
    return { outcome: 'ignored' };
  }
  try {
    await record('hint', null, `paystack:${b.event}:${b.data?.id ?? reference}`);
  } catch (err) {
    if (isUniqueViolation(err)) return { outcome: 'duplicate', reference };
    throw err;
  }
  return { outcome: 'hint', reference };
}
