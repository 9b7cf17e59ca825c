import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { OtpActivities } from '../activities/otp.activities';
import { HEX_SHA256, OTP_REFUSALS, type OtpState, type RefusedOtpState } from '../rules/otp';
import { otpStateQuery, supersedeOtpSignal, verifyOtpUpdate, type OtpWorkflow } from './definitions';

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
const { recordOtpState, recordOtpVerified } = proxyActivities<OtpActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '5 seconds' },
});

/**
 * One OTP challenge (`auth-otp:<challengeId>`): send the code (activity, retried), then accept
 * verification updates until it is verified, locked after `maxAttempts` wrong codes, superseded,
 * or expired by the timer `ttlSeconds` after the request.
 */
export const otpWorkflow: OtpWorkflow = async function otpWorkflow(input) {
  let state: OtpState = 'sending';
  let codeHash: string | undefined;
  let attempts = 0;

  setHandler(otpStateQuery, () => ({ state, attempts }));
  setHandler(supersedeOtpSignal, () => {
    if (state === 'sending' || state === 'pending') state = 'superseded';
  });
  setHandler(
    verifyOtpUpdate,
    async (attempt) => {
      // The code can reach the user a moment before the send activity's result reaches us.
      if (state === 'sending') await condition(() => state !== 'sending', '10 seconds');
      if (state !== 'pending') {
        const refusal = OTP_REFUSALS[state as RefusedOtpState];
        throw ApplicationFailure.nonRetryable(refusal.message, refusal.type);
      }
      attempts += 1;
      if (attempt.codeHash === codeHash) {
        state = 'verified';
        await recordOtpVerified({ challengeId: input.challengeId, tokenHash: attempt.tokenHash, attempts, tokenTtlSeconds: input.verificationTtlSeconds });
        return { status: 'verified' };
      }
      const attemptsRemaining = Math.max(input.maxAttempts - attempts, 0);
      if (attemptsRemaining === 0) state = 'locked';
      await recordOtpState({ challengeId: input.challengeId, state: 'pending', attempts });
      return { status: attemptsRemaining === 0 ? 'locked' : 'invalid', attemptsRemaining };
    },
    {
      // Refusals here leave no trace in history: an expired or locked challenge stays untouched.
      validator: (attempt) => {
        if (!HEX_SHA256.test(attempt?.codeHash ?? '') || !HEX_SHA256.test(attempt?.tokenHash ?? '')) {
          throw ApplicationFailure.nonRetryable('codeHash and tokenHash must be SHA-256 hex', 'OtpMalformed');
        }
        if (state !== 'pending' && state !== 'sending') {
          const refusal = OTP_REFUSALS[state as RefusedOtpState];
          throw ApplicationFailure.nonRetryable(refusal.message, refusal.type);
        }
      },
    },
  );

  const deadline = workflowInfo().runStartTime.getTime() + input.ttlSeconds * 1000;
  try {
    const sent = await sendOtpCode({
      challengeId: input.challengeId,
      identifier: input.identifier,
      channel: input.channel,
      ttlMinutes: Math.round(input.ttlSeconds / 60),
      brand: input.brand,
    });
    codeHash = sent.codeHash;
    if (state === 'sending') state = 'pending';
  } catch {
    if (state === 'sending') state = 'failed';
  }
  if (state === 'pending') {
    const settled = await condition(() => state !== 'pending', Math.max(deadline - Date.now(), 1));
    if (!settled) state = 'expired';
  }
  await condition(allHandlersFinished);
  await recordOtpState({ challengeId: input.challengeId, state, attempts });
  return { state, attempts };
};
