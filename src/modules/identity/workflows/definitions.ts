import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OtpChannel } from '../rules/identifier';
import type { OtpState } from '../rules/otp';

/** The OTP workflow's contract: its id, input, messages and signature, for the services that drive it. */

export const otpWorkflowId = (challengeId: string) => `auth-otp:${challengeId}`;

export interface OtpWorkflowInput {
  challengeId: string;
  identifier: string;
  channel: OtpChannel;
  ttlSeconds: number;
  maxAttempts: number;
  verificationTtlSeconds: number;
  /** The product that asked for the code (named in the SMS or email). */
  brand?: string;
  /** Digits of the code (default 6; the EV app's may be 4). */
  codeDigits?: number;
}

/**
 * No code and no hash of one: the API stores the typed code's keyed hash as an `otp_attempts` row
 * and names the attempt; the workflow's activity compares it. `tokenHash` is the hash of the
 * verification token the API will hand out (the token itself never enters history).
 */
export interface VerifyOtpInput {
  attemptId: string;
  tokenHash: string;
}
export type VerifyOtpResult =
  | { status: 'verified' }
  | { status: 'invalid' | 'locked'; attemptsRemaining: number }
  /** Too many failures for this phone or email across its challenges: locked this long. */
  | { status: 'identifier_locked'; retryAfterSeconds: number };

/** Runs that check codes in an activity (issue 10 item 3); histories without the marker compared hashes. */
export const OTP_CHECK_IN_ACTIVITY_PATCH = 'otp-code-checked-in-activity';

export const verifyOtpUpdate = defineUpdate<VerifyOtpResult, [VerifyOtpInput]>('verifyOtp');
/** A newer challenge for the same identifier replaces this one. */
export const supersedeOtpSignal = defineSignal('supersedeOtp');
export const otpStateQuery = defineQuery<{ state: OtpState; attempts: number }>('otpState');

/** One OTP challenge (`auth-otp:<challengeId>`). */
export type OtpWorkflow = (input: OtpWorkflowInput) => Promise<{ state: OtpState; attempts: number }>;
