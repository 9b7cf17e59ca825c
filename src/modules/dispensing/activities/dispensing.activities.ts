import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { executor, inTransaction, type Execute } from '../../../kernel/sql';
import { logger } from '../../../kernel/logger';
import { gatewayClearing, LedgerService, systemAccount } from '../../ledger';
import { newOtpCode, otpHash, sameHash } from '../rules/codes';
import type { OtpState } from '../rules/otp';
import { waterSaleLedgerKey } from '../rules/references';
import { statusOfResultCode, type PaymentStatus } from '../rules/statuses';
import { type WaterConfig, type WaterGateways } from '../services/settings';
import { readOtp, readTransaction, saveOtp } from '../services/rows';
import { createWaterAttentionActivities } from './attention.activities';

export interface DispensingActivityDeps {
  orm: MikroORM;
  config: WaterConfig;
  water: WaterGateways;
}

export type LookupResult = { state: 'pending' } | { state: 'answered'; status: PaymentStatus; resultCode: number | null; resultDesc: string };

/** The payment workflow's activities: the gateways, the row and the ledger. */
function paymentActivities(deps: DispensingActivityDeps) {
  const { orm, water } = deps;
  const q = executor(orm);
  const ledger = new LedgerService(orm);
  const tx = async (ref: string) => {
    const row = await readTransaction(q, ref);
    if (!row) throw new AppError('NOT_FOUND', `transaction ${ref} not found`, 404);
    return row;
  };

  return {
    /** Sends the STK push or opens the Paystack page, and records its ids (status processing). */
    async waterInitiatePayment({ transactionReference }: { transactionReference: string }) {
      const row = await tx(transactionReference);
      if (row.method === 'mpesa') {
        const ids = await water.daraja.stkPush({ phone: row.phone_number, amount: row.amount_minor / 100, accountReference: 'WATER', description: 'Water' });
        await q(
          `update water_transactions set status = 'processing', checkout_request_id = ?, merchant_request_id = ?, updated_at = now() where transaction_reference = ?`,
          [ids.checkoutRequestId, ids.merchantRequestId, transactionReference],
        );
        return { checkoutRequestId: ids.checkoutRequestId };
      }
      const page = await water.paystack.initialize({
        email: row.email,
        amountMinor: row.amount_minor,
        currency: row.currency,
        reference: transactionReference,
        metadata: { liters: row.liters },
      });
      await q(
        `update water_transactions set status = 'processing', authorization_url = ?, access_code = ?, updated_at = now() where transaction_reference = ?`,
        [page.authorizationUrl, page.accessCode, transactionReference],
      );
      return page;
    },

    /** Asks the gateway what became of the payment (never trusts a callback's word alone). */
    async waterLookupPayment({ transactionReference }: { transactionReference: string }): Promise<LookupResult> {
      const row = await tx(transactionReference);
      if (row.method === 'mpesa') {
        const r = await water.daraja.stkQuery(row.checkout_request_id);
        return r.state === 'pending' ? r : { state: 'answered', status: statusOfResultCode(r.resultCode), resultCode: r.resultCode, resultDesc: r.resultDesc };
      }
      return lookupPaystack(q, water, row);
    },

    /** Closes the row once (only from pending/processing); a completed sale is posted to the ledger under `water-sale:<reference>`. */
    async waterSettlePayment(i: { transactionReference: string; status: PaymentStatus; resultCode: number | null; resultDesc: string }) {
      return inTransaction(orm, async (t) => {
        await t(
          `update water_transactions set status = ?, result_code = coalesce(?, result_code), result_desc = ?, receipt_number = case when ? = 'completed' then receipt_number end, updated_at = now() where transaction_reference = ? and status in ('pending', 'processing')`,
          [i.status, i.resultCode, i.resultDesc.slice(0, 255), i.status, i.transactionReference],
        );
        const row = (await readTransaction(t, i.transactionReference))!;
        if (row.status === 'completed') await postSale(ledger, row, t);
        return { status: row.status as PaymentStatus };
      });
    },
  };
}

/** The OTP workflow's activities: codes (hash only), the SMS, the OTP row. */
function otpActivities(deps: DispensingActivityDeps) {
  const { orm } = deps;
  const q = executor(orm);
  return {
    /** Stores a code's keyed hash (a new random code sent by SMS, or one the API issued, by its row) and resets the OTP. */
    waterIssueOtp: (i: IssueInput) => issueOtp(deps, q, i),

    /** Whether a submitted code (by its row) is the current one; constant-time. */
    async waterCheckCode({ codeId, transactionReference }: { codeId: string; transactionReference: string }) {
      const [row] = await q(
        `select c.code_hash, o.otp_hash from water_otp_codes c join water_otps o on o.transaction_reference = c.transaction_reference where c.id = ? and c.transaction_reference = ? and c.kind = 'verify'`,
        [codeId, transactionReference],
      );
      return { matched: !!row && sameHash(row.code_hash, row.otp_hash) };
    },

    async waterSaveOtp(s: OtpState): Promise<OtpState> {
      await saveOtp(q, s);
      return s;
    },

    async waterRecordPartial(i: { transactionReference: string; stationId: string; litersDelivered: number }) {
      await q(
        `update water_transactions set metadata = coalesce(metadata, '{}'::jsonb) || jsonb_build_object('partialDispenses', coalesce(metadata->'partialDispenses', '[]'::jsonb) || ?::jsonb), updated_at = now() where transaction_reference = ?`,
        [JSON.stringify([{ stationId: i.stationId, litersDelivered: i.litersDelivered, at: new Date().toISOString() }]), i.transactionReference],
      );
    },
  };
}

/** Paystack's verify → our status; a success for another amount or currency is a failure. */
async function lookupPaystack(q: Execute, water: WaterGateways, row: Record<string, any>): Promise<LookupResult> {
  const transactionReference = row.transaction_reference as string;
  const t = await water.paystack.verify(transactionReference);
  if (!t || ['ongoing', 'pending', 'abandoned', 'processing', 'queued'].includes(t.status)) return { state: 'pending' };
  if (t.status === 'success' && (t.amount !== row.amount_minor || t.currency !== row.currency))
    return {
      state: 'answered',
      status: 'failed',
      resultCode: null,
      resultDesc: `paid ${t.amount} ${t.currency}, expected ${row.amount_minor} ${row.currency}`,
    };
  await q(
    `update water_transactions set gateway_status = ?, channel = ?, receipt_number = coalesce(receipt_number, ?), updated_at = now() where transaction_reference = ?`,
    [t.status, t.channel ?? null, t.id ? `PST${t.id}` : null, transactionReference],
  );
  return { state: 'answered', status: t.status === 'success' ? 'completed' : 'failed', resultCode: null, resultDesc: t.gateway_response ?? t.status };
}

/** The sale in the ledger, once (`water-sale:<reference>`): the gateway owes us, revenue earned. */
async function postSale(ledger: LedgerService, row: Record<string, any>, t: Execute) {
  await ledger.post(
    {
      key: waterSaleLedgerKey(row.transaction_reference),
      type: 'water_sale',
      description: `${row.liters} L of water (${row.transaction_reference})`,
      metadata: { transactionReference: row.transaction_reference, liters: row.liters },
      postings: [
        { account: gatewayClearing(row.method === 'mpesa' ? 'mpesa' : 'paystack', row.currency), amountMinor: -row.amount_minor },
        { account: systemAccount('revenue', row.currency), amountMinor: row.amount_minor },
      ],
    },
    t,
  );
}

export interface IssueInput {
  transactionReference: string;
  liters: number;
  pulses: number;
  issue: number;
  ttlMs: number;
  maxAttempts: number;
  codeId?: string;
}

/** Stores a code's keyed hash (a new random code sent by SMS, or one the API issued, by its row) and resets the OTP. */
async function issueOtp({ config, water }: DispensingActivityDeps, q: Execute, i: IssueInput): Promise<OtpState> {
  const row = await readTransaction(q, i.transactionReference);
  if (!row) throw new AppError('NOT_FOUND', `transaction ${i.transactionReference} not found`, 404);
  let hash: string;
  let code: string | undefined;
  if (i.codeId) {
    const [c] = await q(`select code_hash from water_otp_codes where id = ? and transaction_reference = ? and kind = 'issue'`, [
      i.codeId,
      i.transactionReference,
    ]);
    if (!c) throw new AppError('NOT_FOUND', 'issued code not found', 404);
    hash = c.code_hash;
  } else {
    code = newOtpCode();
    hash = otpHash(config.WATER_OTP_KEY, i.transactionReference, code);
  }
  await q(
    `insert into water_otps (transaction_reference, otp_hash, status, liters, pulses, pulses_delivered, attempts, max_attempts, expires_at, station_id, verified_at, issue)
     values (?, ?, 'active', ?, ?, 0, 0, ?, ?, null, null, ?)
     on conflict (transaction_reference) do update set otp_hash = excluded.otp_hash, status = 'active', liters = excluded.liters, pulses = excluded.pulses,
       pulses_delivered = 0, attempts = 0, max_attempts = excluded.max_attempts, expires_at = excluded.expires_at, station_id = null, verified_at = null, issue = excluded.issue, valve_state = null, updated_at = now()`,
    [i.transactionReference, hash, i.liters, i.pulses, i.maxAttempts, new Date(Date.now() + i.ttlMs), i.issue],
  );
  if (code && row.phone_number)
    await sendCode(q, water, config, { ref: i.transactionReference, phone: row.phone_number, code, liters: i.liters, minutes: Math.round(i.ttlMs / 60_000) });
  return (await readOtp(q, i.transactionReference))!;
}

/** The water workflows' activities. */
export function createDispensingActivities(deps: DispensingActivityDeps) {
  return { ...paymentActivities(deps), ...otpActivities(deps), ...createWaterAttentionActivities(deps) };
}

/** The calls to Daraja, Paystack and Africa's Talking alone, for the gateway worker's queue (`<task queue>-gateways`). */
export function createDispensingGatewayActivities(deps: DispensingActivityDeps) {
  const { waterInitiatePayment, waterLookupPayment } = paymentActivities(deps);
  const { waterIssueOtp } = otpActivities(deps);
  return { waterInitiatePayment, waterLookupPayment, waterIssueOtp };
}

/** The code goes out by SMS only (the log keeps the message id and status, never the text). A refused SMS is logged, not retried with a new code. */
async function sendCode(
  q: Execute,
  water: WaterGateways,
  config: WaterConfig,
  m: { ref: string; phone: string; code: string; liters: number; minutes: number },
) {
  const text = `${config.WATER_BRAND}: your code for ${m.liters} L is ${m.code}. Valid ${m.minutes} min. Ref ${m.ref}`;
  let sent: { messageId: string | null; status: string };
  try {
    sent = await water.sms.send(m.phone, text);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    logger.warn({ ref: m.ref, err: err.message }, 'water OTP SMS refused');
    sent = { messageId: null, status: 'Rejected' };
  }
  await q(`insert into water_sms_log (message_id, transaction_reference, phone_number, status) values (?, ?, ?, ?)`, [
    sent.messageId,
    m.ref,
    m.phone,
    sent.status.slice(0, 24),
  ]);
}

export type DispensingActivities = ReturnType<typeof createDispensingActivities>;
