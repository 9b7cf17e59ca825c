import { timingSafeEqual } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../../config';
import { inTransaction } from '../../../kernel/sql';
import { failuresToday, identifierLockedFor, lockIdentifier } from '../services/otp-guard';

/**
 * What the workflow learns of a verification attempt: whether the code matched, never the code or
 * a hash of it. `lockedForSeconds` is set when the identifier is locked (this failure reached the
 * daily cap, or it was locked already and the code was not compared: outcome `refused`).
 */
export interface OtpCheckResult {
  outcome: 'match' | 'mismatch' | 'refused';
  lockedForSeconds?: number;
}

const sameHash = (a: string | null, b: string | null) =>
  Boolean(a && b && a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex')));

/** The check of a typed code, inside an activity (issue 10 item 3), with the per-identifier cap across challenges (item 4). */
export function createOtpCheckActivity({ orm, config }: { orm: MikroORM; config: Config }) {
  return {
    /**
     * Compares the attempt's stored hash with its challenge's, records the outcome and drops the
     * hash. Checks of one identifier run one at a time (an advisory lock), so a burst across many
     * challenges cannot overtake the daily count. Retried, it answers the recorded outcome.
     */
    async checkOtpAttempt(input: { challengeId: string; attemptId: string }): Promise<OtpCheckResult> {
      return inTransaction(orm, async (tx) => {
        const [head] = await tx(`select identifier from otp_attempts where id = ? and challenge_id = ?`, [input.attemptId, input.challengeId]);
        if (!head) throw ApplicationFailure.nonRetryable('Unknown OTP attempt', 'OtpAttemptUnknown');
        await tx(`select pg_advisory_xact_lock(hashtext(?))`, [`otp-identifier:${head.identifier}`]);
        const [a] = await tx(
          `select a.identifier, a.code_hash, a.outcome, c.code_hash as expected from otp_attempts a join otp_challenges c on c.id = a.challenge_id where a.id = ?`,
          [input.attemptId],
        );
        const lockedNow = await identifierLockedFor(tx, a.identifier);
        if (a.outcome) return { outcome: a.outcome, ...(lockedNow ? { lockedForSeconds: lockedNow } : {}) };
        const outcome = lockedNow ? 'refused' : sameHash(a.code_hash, a.expected) ? 'match' : 'mismatch';
        await tx(`update otp_attempts set outcome = ?, code_hash = null, checked_at = now() where id = ?`, [outcome, input.attemptId]);
        if (outcome === 'refused') return { outcome, lockedForSeconds: lockedNow };
        if (outcome === 'match') return { outcome };
        const failures = await failuresToday(tx, a.identifier);
        if (failures < config.OTP_IDENTIFIER_MAX_FAILURES) return { outcome };
        return { outcome, lockedForSeconds: await lockIdentifier(tx, config, a.identifier, failures) };
      });
    },
  };
}
