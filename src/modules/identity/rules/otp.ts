/** OTP rules shared by the workflow, its activities and the API. Pure: safe in workflow code. */
export const OTP_DIGITS = 6;

export const OTP_PURPOSES = ['login', 'register'] as const;
export type OtpPurpose = (typeof OTP_PURPOSES)[number];

/** Workflow states; the final ones are also written to otp_challenges.status. */
export type OtpState = 'sending' | 'pending' | 'verified' | 'locked' | 'expired' | 'failed' | 'superseded';
export const FINAL_OTP_STATES: readonly OtpState[] = ['verified', 'locked', 'expired', 'failed', 'superseded'];

/** Why a verification was refused, as ApplicationFailure types (workflow) and API codes. */
export const OTP_REFUSALS = {
  sending: { type: 'OtpNotSent', code: 'OTP_NOT_SENT', status: 409, message: 'The code has not been delivered yet; try again in a moment' },
  expired: { type: 'OtpExpired', code: 'OTP_EXPIRED', status: 410, message: 'This code has expired; request a new one' },
  locked: { type: 'OtpLocked', code: 'OTP_ATTEMPTS_EXCEEDED', status: 429, message: 'Too many wrong codes; request a new one' },
  verified: { type: 'OtpAlreadyVerified', code: 'OTP_ALREADY_USED', status: 409, message: 'This code was already used' },
  failed: { type: 'OtpDeliveryFailed', code: 'OTP_DELIVERY_FAILED', status: 502, message: 'The code could not be delivered; request a new one' },
  superseded: { type: 'OtpSuperseded', code: 'OTP_SUPERSEDED', status: 410, message: 'A newer code was sent; use the latest one' },
} as const;
export type RefusedOtpState = keyof typeof OTP_REFUSALS;

/** DB status (pending/sent are "still open") → the refusal that applies, if any. */
export function refusalForStatus(status: string): (typeof OTP_REFUSALS)[RefusedOtpState] | undefined {
  return (OTP_REFUSALS as Record<string, (typeof OTP_REFUSALS)[RefusedOtpState]>)[status];
}

export const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** How long the `lockCount`-th lock in a row lasts: the base, doubled per lock, capped. */
export function identifierLockSeconds(baseSeconds: number, maxSeconds: number, lockCount: number): number {
  return Math.min(maxSeconds, baseSeconds * 2 ** Math.min(Math.max(lockCount - 1, 0), 30));
}
