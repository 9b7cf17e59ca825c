import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import type { OtpState } from '../rules/otp';
import { readOtp } from '../services/rows';
import type { WaterRunKind } from '../workflows/definitions';

/**
 * A water run parked as `needs_attention` is said on its transaction's row (`attention_*`: which
 * run, why, at which step, since when), so the admin desk lists it; the payment status the seed
 * defines stays as it was.
 */
export function createWaterAttentionActivities({ orm }: { orm: MikroORM }) {
  const q = executor(orm);
  return {
    async waterMarkAttention(i: { transactionReference: string; kind: WaterRunKind; reason: string; step: string }) {
      await q(
        `update water_transactions set attention_kind = ?, attention_reason = ?, attention_step = ?, attention_at = now(), updated_at = now() where transaction_reference = ?`,
        [i.kind, i.reason.slice(0, 500), i.step.slice(0, 64), i.transactionReference],
      );
    },

    async waterClearAttention({ transactionReference }: { transactionReference: string }) {
      await q(
        `update water_transactions set attention_kind = null, attention_reason = null, attention_step = null, attention_at = null, updated_at = now() where transaction_reference = ?`,
        [transactionReference],
      );
    },

    /** The OTP row as it is (a run that goes on after an admin resolved its SMS step by hand). */
    async waterReadOtp({ transactionReference }: { transactionReference: string }): Promise<OtpState> {
      const s = await readOtp(q, transactionReference);
      if (!s) throw new AppError('OTP_NOT_FOUND', `no OTP row for ${transactionReference}`, 404);
      return s;
    },
  };
}
