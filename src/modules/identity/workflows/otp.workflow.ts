import { allHandlersFinished, ApplicationFailure, condition, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { OtpActivities } from '../activities/otp.activities';
import type { OtpCheckResult } from '../activities/otp-check';
import { HEX_SHA256, OTP_REFUSALS, type OtpState, type RefusedOtpState } from '../rules/otp';
import {
  OTP_CHECK_IN_ACTIVITY_PATCH,
  otpStateQuery,
  supersedeOtpSignal,
  verifyOtpUpdate,
  type OtpWorkflow,
  type OtpWorkflowInput,
  type VerifyOtpInput,
  type VerifyOtpResult,
} from './definitions';

const { sendOtpCode } = proxyActivities<OtpActivities>({
  startToCloseTimeout: '20 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['OtpDeliveryRejected'],
  },
});
const { recordOtpState, recordOtpVerified, checkOtpAttempt } = proxyActivities<OtpActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '5 seconds' },
});

/**
 * Histories recorded before OTP_CHECK_IN_ACTIVITY_PATCH: the send activity returned the code's
 * hash and the update carried the typed code's hash. Replayed only; the validator refuses a hash.
 */
interface LegacyVerifyInput {
  codeHash?: string;
}

interface Challenge {
  state: OtpState;
  /** Only in runs recorded before the patch (see LegacyVerifyInput). */
  legacyCodeHash?: string;
  attempts: number;
  /** A check is running: the next waits, so attempts are counted one at a time. */
  checking: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const refuse = (state: OtpState) => {
  const refusal = OTP_REFUSALS[state as RefusedOtpState];
  return ApplicationFailure.nonRetryable(refusal.message, refusal.type);
};

/** The code's check: in the activity, or (replayed histories from before the patch) by the hashes they carried. */
async function check(input: OtpWorkflowInput, c: Challenge, attempt: VerifyOtpInput & LegacyVerifyInput, inActivity: boolean): Promise<OtpCheckResult> {
  if (!inActivity && attempt.codeHash !== undefined) return { outcome: attempt.codeHash === c.legacyCodeHash ? 'match' : 'mismatch' };
  return checkOtpAttempt({ challengeId: input.challengeId, attemptId: attempt.attemptId });
}

async function verify(input: OtpWorkflowInput, c: Challenge, attempt: VerifyOtpInput, inActivity: boolean): Promise<VerifyOtpResult> {
  // The code can reach the user a moment before the send activity's result reaches us.
  if (c.state === 'sending') await condition(() => c.state !== 'sending', '10 seconds');
  if (c.checking) await condition(() => !c.checking);
  if (c.state !== 'pending') throw refuse(c.state);
  c.attempts += 1;
  c.checking = true;
  let result;
  try {
    result = await check(input, c, attempt, inActivity);
  } finally {
    c.checking = false;
  }
  if (result.lockedForSeconds !== undefined) {
    if (c.state === 'pending') c.state = 'locked';
    return { status: 'identifier_locked', retryAfterSeconds: result.lockedForSeconds };
  }
  if (c.state !== 'pending') throw refuse(c.state); // expired or superseded while the code was checked
  if (result.outcome === 'match') {
    c.state = 'verified';
    await recordOtpVerified({
      challengeId: input.challengeId,
      tokenHash: attempt.tokenHash,
      attempts: c.attempts,
      tokenTtlSeconds: input.verificationTtlSeconds,
    });
    return { status: 'verified' };
  }
  const attemptsRemaining = Math.max(input.maxAttempts - c.attempts, 0);
  if (attemptsRemaining === 0) c.state = 'locked';
  await recordOtpState({ challengeId: input.challengeId, state: 'pending', attempts: c.attempts });
  return { status: attemptsRemaining === 0 ? 'locked' : 'invalid', attemptsRemaining };
}

/** The challenge's messages: its state (query), a newer challenge (signal), and verification attempts (update). */
function listen(input: OtpWorkflowInput, c: Challenge, inActivity: boolean) {
  setHandler(otpStateQuery, () => ({ state: c.state, attempts: c.attempts }));
  setHandler(supersedeOtpSignal, () => {
    if (c.state === 'sending' || c.state === 'pending') c.state = 'superseded';
  });
  setHandler(verifyOtpUpdate, (attempt) => verify(input, c, attempt, inActivity), {
    // Refusals here leave no trace in history: an expired or locked challenge stays untouched.
    validator: (attempt) => {
      if ((attempt as LegacyVerifyInput)?.codeHash !== undefined) {
        throw ApplicationFailure.nonRetryable('Codes are checked by the workflow; a code hash is not accepted', 'OtpMalformed');
      }
      if (!UUID.test(attempt?.attemptId ?? '') || !HEX_SHA256.test(attempt?.tokenHash ?? '')) {
        throw ApplicationFailure.nonRetryable('attemptId must be a UUID and tokenHash SHA-256 hex', 'OtpMalformed');
      }
      if (c.state !== 'pending' && c.state !== 'sending') throw refuse(c.state);
    },
  });
}

/**
 * One OTP challenge (`auth-otp:<challengeId>`): send the code (activity, retried), then accept
 * verification updates until it is verified, locked after `maxAttempts` wrong codes (or its
 * identifier locked across challenges), superseded, or expired by the timer `ttlSeconds` after the
 * request. Neither the code nor a hash of it is ever in the run's history.
 */
export const otpWorkflow: OtpWorkflow = async function otpWorkflow(input) {
  const c: Challenge = { state: 'sending', attempts: 0, checking: false };
  const inActivity = patched(OTP_CHECK_IN_ACTIVITY_PATCH);
  listen(input, c, inActivity);
  const deadline = workflowInfo().runStartTime.getTime() + input.ttlSeconds * 1000;
  try {
    const sent = await sendOtpCode({
      challengeId: input.challengeId,
      identifier: input.identifier,
      channel: input.channel,
      ttlMinutes: Math.round(input.ttlSeconds / 60),
      brand: input.brand,
      ...(input.codeDigits ? { codeDigits: input.codeDigits } : {}),
    });
    c.legacyCodeHash = (sent as { codeHash?: string }).codeHash;
    if (c.state === 'sending') c.state = 'pending';
  } catch {
    if (c.state === 'sending') c.state = 'failed';
  }
  if (c.state === 'pending') {
    const settled = await condition(() => c.state !== 'pending', Math.max(deadline - Date.now(), 1));
    if (!settled) c.state = 'expired';
  }
  await condition(allHandlersFinished);
  await recordOtpState({ challengeId: input.challengeId, state: c.state, attempts: c.attempts });
  return { state: c.state, attempts: c.attempts };
};
