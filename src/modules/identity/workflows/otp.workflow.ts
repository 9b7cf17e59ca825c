import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { OtpActivities } from '../activities/otp.activities';
import { HEX_SHA256, OTP_REFUSALS, type OtpState, type RefusedOtpState } from '../rules/otp';
import { otpStateQuery, supersedeOtpSignal, verifyOtpUpdate, type OtpWorkflow, type OtpWorkflowInput } from './definitions';

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

interface Challenge {
  state: OtpState;
  codeHash?: string;
  attempts: number;
}

const refuse = (state: OtpState) => {
  const refusal = OTP_REFUSALS[state as RefusedOtpState];
  return ApplicationFailure.nonRetryable(refusal.message, refusal.type);
};

/** The challenge's messages: its state (query), a newer challenge (signal), and verification attempts (update). */
function listen(input: OtpWorkflowInput, c: Challenge) {
  setHandler(otpStateQuery, () => ({ state: c.state, attempts: c.attempts }));
  setHandler(supersedeOtpSignal, () => {
    if (c.state === 'sending' || c.state === 'pending') c.state = 'superseded';
  });
  setHandler(
    verifyOtpUpdate,
    async (attempt) => {
      // The code can reach the user a moment before the send activity's result reaches us.
      if (c.state === 'sending') await condition(() => c.state !== 'sending', '10 seconds');
      if (c.state !== 'pending') throw refuse(c.state);
      c.attempts += 1;
      if (attempt.codeHash === c.codeHash) {
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
    },
    {
      // Refusals here leave no trace in history: an expired or locked challenge stays untouched.
      validator: (attempt) => {
        if (!HEX_SHA256.test(attempt?.codeHash ?? '') || !HEX_SHA256.test(attempt?.tokenHash ?? '')) {
          throw ApplicationFailure.nonRetryable('codeHash and tokenHash must be SHA-256 hex', 'OtpMalformed');
        }
        if (c.state !== 'pending' && c.state !== 'sending') throw refuse(c.state);
      },
    },
  );
}

/**
 * One OTP challenge (`auth-otp:<challengeId>`): send the code (activity, retried), then accept
 * verification updates until it is verified, locked after `maxAttempts` wrong codes, superseded,
 * or expired by the timer `ttlSeconds` after the request.
 */
export const otpWorkflow: OtpWorkflow = async function otpWorkflow(input) {
  const c: Challenge = { state: 'sending', attempts: 0 };
  listen(input, c);
  const deadline = workflowInfo().runStartTime.getTime() + input.ttlSeconds * 1000;
  try {
    const sent = await sendOtpCode({
      challengeId: input.challengeId,
      identifier: input.identifier,
      channel: input.channel,
      ttlMinutes: Math.round(input.ttlSeconds / 60),
      brand: input.brand,
    });
    c.codeHash = sent.codeHash;
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
