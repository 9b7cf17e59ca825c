import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError, Errors } from '../../../kernel/errors';
import type { Config } from '../../../config';
import { maskIdentifier, parseIdentifier, type Identifier, type PhoneRegion } from '../rules/identifier';
import { OTP_REFUSALS, refusalForStatus, type OtpPurpose } from '../rules/otp';
import { otpWorkflowId, supersedeOtpSignal, verifyOtpUpdate, type OtpWorkflow, type OtpWorkflowInput, type VerifyOtpResult } from '../workflows/definitions';
import { hashOtpCode, newOpaqueToken } from './otp-crypto';
import { assertMaySend, identifierLockedError, identifierLockedFor, OtpRetryLaterError } from './otp-guard';
import { executor, inTransaction } from '../../../kernel/sql';
import { startAttributes } from '../../../kernel/temporal/search-attributes';

export interface OtpServiceDeps {
  orm: MikroORM;
  temporal: Client;
  config: Config;
  /** The product asking for codes, named in the SMS or email. */
  brand: string;
}

/** A refused OTP request; carries the seconds for the Retry-After header. */
export class OtpCooldownError extends OtpRetryLaterError {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMIT_EXCEEDED', `A code was sent to this number or email moments ago; request a new one in ${retryAfterSeconds} s`, retryAfterSeconds);
  }
}

const refusalError = (r: { code: string; message: string; status: number }, details?: unknown) => new AppError(r.code, r.message, r.status, details);

export { otpWorkflowId };

/** OTP requests and verifications; each challenge is an `auth-otp:<id>` workflow. */
export class OtpService {
  constructor(private readonly deps: OtpServiceDeps) {}

  static parse(raw: string, field = 'body.identifier', region: PhoneRegion = 'NP'): Identifier {
    const parsed = parseIdentifier(raw, region);
    const expected = region === 'MN' ? 'a Mongolian mobile number (+976 8XXXXXXX)' : 'a Nepali mobile number (+977 98XXXXXXXX)';
    if (!parsed) throw Errors.validation([{ field, message: `Enter ${expected} or an email address`, code: 'invalid_identifier' }]);
    return parsed;
  }

  /** `phoneRegion` and `codeDigits` let a surface take its country's numbers and its own code length. */
  async request(input: { identifier: string; purpose?: OtpPurpose; ip?: string; phoneRegion?: PhoneRegion; codeDigits?: number; field?: string }) {
    const { config, temporal } = this.deps;
    const id = OtpService.parse(input.identifier, input.field, input.phoneRegion);
    const challengeId = randomUUID();
    const cooldown = config.OTP_RESEND_COOLDOWN_SECONDS;

    const previous = await this.openChallenge(challengeId, id, input);

    const workflowInput: OtpWorkflowInput = {
      challengeId,
      identifier: id.value,
      channel: id.channel,
      ttlSeconds: config.OTP_TTL_SECONDS,
      brand: this.deps.brand,
      maxAttempts: config.OTP_MAX_ATTEMPTS,
      verificationTtlSeconds: config.VERIFICATION_TOKEN_TTL_SECONDS,
      ...(input.codeDigits ? { codeDigits: input.codeDigits } : {}),
    };
    await this.startChallenge(workflowInput, id);
    if (previous)
      await temporal.workflow
        .getHandle(otpWorkflowId(previous))
        .signal(supersedeOtpSignal)
        .catch(() => undefined);

    return {
      challenge_id: challengeId,
      channel: id.channel,
      identifier: maskIdentifier(id.value),
      expires_in: config.OTP_TTL_SECONDS,
      resend_after: cooldown,
      max_attempts: config.OTP_MAX_ATTEMPTS,
    };
  }

  /**
   * The challenge row and the per-identifier gate in one transaction: the conditional upsert lets
   * only one request per identifier through per cooldown, however many arrive at once. Returns the
   * challenge it replaces, if any.
   */
  private async openChallenge(challengeId: string, id: Identifier, input: { purpose?: OtpPurpose; ip?: string }): Promise<string | null> {
    return inTransaction(this.deps.orm, async (tx) => {
      await tx(
        `insert into otp_challenges (id, identifier, channel, purpose, status, expires_at, request_ip) values (?, ?, ?, ?, 'pending', now() + make_interval(secs => ?), ?)`,
        [challengeId, id.value, id.channel, input.purpose ?? null, this.deps.config.OTP_TTL_SECONDS, input.ip?.slice(0, 64) ?? null],
      );
      const won = await tx(
        `with prev as (select challenge_id from otp_request_gates where identifier = ?)
         insert into otp_request_gates as g (identifier, challenge_id, requested_at) values (?, ?, now())
         on conflict (identifier) do update set challenge_id = excluded.challenge_id, requested_at = excluded.requested_at
           where g.requested_at <= now() - make_interval(secs => ?)
         returning (select challenge_id from prev) as previous`,
        [id.value, id.value, challengeId, this.deps.config.OTP_RESEND_COOLDOWN_SECONDS],
      );
      if (won.length === 0) {
        const [gate] = await tx(
          `select greatest(1, ceil(extract(epoch from (requested_at + make_interval(secs => ?) - now()))))::int as wait from otp_request_gates where identifier = ?`,
          [this.deps.config.OTP_RESEND_COOLDOWN_SECONDS, id.value],
        );
        throw new OtpCooldownError(gate?.wait ?? this.deps.config.OTP_RESEND_COOLDOWN_SECONDS);
      }
      await assertMaySend(tx, this.deps.config, id);
      return won[0].previous as string | null;
    });
  }

  /** Starts the challenge's workflow; if Temporal refuses, the challenge is closed and the gate freed. */
  private async startChallenge(workflowInput: OtpWorkflowInput, id: Identifier): Promise<void> {
    const { config, orm, temporal } = this.deps;
    const challengeId = workflowInput.challengeId;
    try {
      await temporal.workflow.start<OtpWorkflow>('otpWorkflow', {
        workflowId: otpWorkflowId(challengeId),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [workflowInput],
        typedSearchAttributes: startAttributes({}),
      });
    } catch (err) {
      const exec = executor(orm);
      await exec(`delete from otp_request_gates where identifier = ? and challenge_id = ?`, [id.value, challengeId]);
      await exec(`update otp_challenges set status = 'failed', last_error = ?, closed_at = now() where id = ?`, [
        String((err as Error).message).slice(0, 255),
        challengeId,
      ]);
      throw new AppError('OTP_UNAVAILABLE', 'Could not start sending the code; try again', 503);
    }
  }

  /** Checks a code through the workflow's `verifyOtp` update; returns a single-use verification token. */
  async verify(input: { challenge_id?: string; identifier?: string; code: string; phoneRegion?: PhoneRegion; field?: string }) {
    const { config, orm, temporal } = this.deps;
    const exec = executor(orm);
    let challengeId = input.challenge_id;
    if (!challengeId) {
      const id = OtpService.parse(input.identifier ?? '', input.field, input.phoneRegion);
      const [gate] = await exec(`select challenge_id from otp_request_gates where identifier = ?`, [id.value]);
      if (!gate) throw Errors.notFound('OTP request for this identifier');
      challengeId = gate.challenge_id as string;
    }
    const [challenge] = await exec(`select id, identifier, channel, status, expires_at from otp_challenges where id = ?`, [challengeId]);
    if (!challenge) throw Errors.notFound('OTP challenge');
    const lockedFor = await identifierLockedFor(exec, challenge.identifier);
    if (lockedFor) throw identifierLockedError(lockedFor);
    // Still `sending` is not a refusal: the SMS can reach the phone before the workflow has heard
    // back from its activity, and the workflow's update waits for that moment.
    const known = challenge.status === 'sending' ? undefined : refusalForStatus(challenge.status);
    if (known) throw refusalError(known);

    // The typed code's hash goes to the database, never to the workflow: it names the attempt.
    const token = newOpaqueToken();
    const attemptId = randomUUID();
    const codeHash = hashOtpCode(config.OTP_HASH_SECRET, challengeId, input.code);
    await exec(`insert into otp_attempts (id, challenge_id, identifier, code_hash) values (?, ?, ?, ?)`, [
      attemptId,
      challengeId,
      challenge.identifier,
      codeHash,
    ]);
    let result;
    try {
      result = await temporal.withDeadline(Date.now() + 15_000, () =>
        temporal.workflow.getHandle(otpWorkflowId(challengeId)).executeUpdate(verifyOtpUpdate, { args: [{ attemptId, tokenHash: token.hash }] }),
      );
    } catch (err) {
      await exec(`delete from otp_attempts where id = ? and outcome is null`, [attemptId]);
      throw await this.refusalFor(err, challengeId);
    }
    if (result.status !== 'verified') throw OtpService.refusalOf(result);
    const column = challenge.channel === 'sms' ? 'phone' : 'email';
    const [user] = await exec(`select 1 from users where ${column} = ?`, [challenge.identifier]);
    return {
      verification_token: token.token,
      expires_in: config.VERIFICATION_TOKEN_TTL_SECONDS,
      identifier: challenge.identifier as string,
      channel: challenge.channel as string,
      user_exists: Boolean(user),
      next_step: user ? 'login' : 'register',
    };
  }

  private static refusalOf(result: Exclude<VerifyOtpResult, { status: 'verified' }>): AppError {
    if (result.status === 'identifier_locked') return identifierLockedError(result.retryAfterSeconds);
    if (result.status === 'locked') return refusalError(OTP_REFUSALS.locked, { attempts_remaining: 0 });
    return new AppError('OTP_INVALID', `Wrong code; ${result.attemptsRemaining} attempt(s) left`, 401, { attempts_remaining: result.attemptsRemaining });
  }

  /** Maps a refused update (validator) or a finished workflow to the API error the client sees. */
  private async refusalFor(err: unknown, challengeId: string): Promise<AppError> {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      if (err.cause.type === 'OtpMalformed') return Errors.validation([{ field: 'body.code', message: 'Malformed code' }]);
      const type = err.cause.type;
      const refusal = Object.values(OTP_REFUSALS).find((r) => r.type === type);
      if (refusal) return refusalError(refusal);
    }
    // The workflow has already finished (expired, locked, ...): its final state is in the database.
    const [row] = await executor(this.deps.orm)(`select status, expires_at from otp_challenges where id = ?`, [challengeId]);
    const known = row && refusalForStatus(row.status);
    if (known) return refusalError(known);
    if (row && new Date(row.expires_at) <= new Date()) return refusalError(OTP_REFUSALS.expired);
    return new AppError('OTP_UNAVAILABLE', 'Could not check the code right now; try again', 503);
  }
}
