import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../../config';
import type { OtpChannel } from '../rules/identifier';
import { FINAL_OTP_STATES, type OtpState } from '../rules/otp';
import { EmailDeliveryError } from '../delivery/email-sender';
import type { Messaging } from '../delivery/messaging';
import { SmsDeliveryError } from '../delivery/sms-sender';
import { generateOtpCode, hashOtpCode } from '../services/otp-crypto';
import { createOtpCheckActivity } from './otp-check';

export interface OtpActivityDeps {
  orm: MikroORM;
  config: Config;
  messaging: Messaging;
  /** The product named in the message when the challenge does not say (challenges started before it was carried). */
  brand: string;
}

/** Failure types that retrying cannot fix (named in the workflow's retry policy). */
export const OTP_PERMANENT_FAILURES = ['OtpDeliveryRejected'];

export interface SendOtpInput {
  challengeId: string;
  identifier: string;
  channel: OtpChannel;
  ttlMinutes: number;
  /** The product that asked for the code, named in the message. */
  brand?: string;
  /** Digits of the code (default 6). */
  codeDigits?: number;
}

/** OTP side effects. Retried with the same input they converge: the last code sent is the one that counts. */
export function createOtpActivities({ orm, config, messaging, brand }: OtpActivityDeps) {
  const exec = (sql: string, params: unknown[]) => orm.em.getConnection().execute(sql, params);

  return {
    ...createOtpCheckActivity({ orm, config }),

    /**
     * Generates a code, stores its keyed hash and sends it. Neither the code nor its hash leaves
     * this function: the workflow learns only that it was sent, and codes are checked by
     * `checkOtpAttempt`. A retry sends a new code, which replaces the old.
     */
    async sendOtpCode(input: SendOtpInput): Promise<{ sent: true }> {
      const code = generateOtpCode(input.codeDigits);
      const codeHash = hashOtpCode(config.OTP_HASH_SECRET, input.challengeId, code);
      await exec(`update otp_challenges set code_hash = ?, send_attempts = send_attempts + 1 where id = ?`, [codeHash, input.challengeId]);
      const text = `${code} is your ${input.brand ?? brand} verification code. It expires in ${input.ttlMinutes} minutes. Do not share it.`;
      try {
        if (input.channel === 'sms') await messaging.sms.send({ to: input.identifier, text });
        else await messaging.email.send({ to: input.identifier, subject: `Your ${input.brand ?? brand} verification code`, text });
      } catch (err) {
        const message = (err as Error).message.slice(0, 255);
        await exec(`update otp_challenges set last_error = ? where id = ?`, [message, input.challengeId]);
        const permanent = (err instanceof SmsDeliveryError || err instanceof EmailDeliveryError) && !err.retryable;
        if (permanent) throw ApplicationFailure.nonRetryable(message, 'OtpDeliveryRejected');
        throw ApplicationFailure.retryable(message, 'OtpDeliveryFailed');
      }
      await exec(`update otp_challenges set status = 'sent', sent_at = now(), last_error = null where id = ? and status = 'pending'`, [input.challengeId]);
      return { sent: true };
    },

    /** Mirrors the workflow's attempt count and, once final, its state. */
    async recordOtpState(input: { challengeId: string; state: OtpState; attempts: number }): Promise<void> {
      const final = FINAL_OTP_STATES.includes(input.state);
      await exec(
        `update otp_challenges set attempts = greatest(attempts, ?)${final ? `, status = ?, closed_at = coalesce(closed_at, now())` : ''} where id = ?`,
        final ? [input.attempts, input.state, input.challengeId] : [input.attempts, input.challengeId],
      );
    },

    /** Issues the verification token (its hash, computed by the API) for a verified challenge, once. */
    async recordOtpVerified(input: { challengeId: string; tokenHash: string; attempts: number; tokenTtlSeconds: number }): Promise<void> {
      await orm.em.getConnection().transactional(async (trx) => {
        const conn = orm.em.getConnection();
        await conn.execute(
          `insert into verification_tokens (id, token_hash, challenge_id, identifier, channel, purpose, expires_at)
           select gen_random_uuid(), ?, id, identifier, channel, purpose, now() + make_interval(secs => ?)
           from otp_challenges where id = ? on conflict (challenge_id) do nothing`,
          [input.tokenHash, input.tokenTtlSeconds, input.challengeId],
          'run',
          trx,
        );
        await conn.execute(
          `update otp_challenges set status = 'verified', attempts = greatest(attempts, ?), verified_at = coalesce(verified_at, now()), closed_at = coalesce(closed_at, now()) where id = ?`,
          [input.attempts, input.challengeId],
          'run',
          trx,
        );
      });
    },
  };
}

export type OtpActivities = ReturnType<typeof createOtpActivities>;
