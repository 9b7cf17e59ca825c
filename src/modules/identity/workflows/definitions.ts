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
}

/** Hashes only: the API hashes the code the user typed and the token it will hand out. */
export interface VerifyOtpInput {
  codeHash: string;
  tokenHash: string;
}
export type VerifyOtpResult = { status: 'verified' } | { status: 'invalid' | 'locked'; attemptsRemaining: number };

export const verifyOtpUpdate = defineUpdate<VerifyOtpResult, [VerifyOtpInput]>('verifyOtp');
/** A newer challenge for the same identifier replaces this one. */
export const supersedeOtpSignal = defineSignal('supersedeOtp');
export const otpStateQuery = defineQuery<{ state: OtpState; attempts: number }>('otpState');

/** One OTP challenge (`auth-otp:<challengeId>`). */
export type OtpWorkflow = (input: OtpWorkflowInput) => Promise<{ state: OtpState; attempts: number }>;
