/** Payment statuses of the seed (`GET /payments/status`). */
export const PAYMENT_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled', 'timeout'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const FINAL_PAYMENT_STATUSES: readonly PaymentStatus[] = ['completed', 'failed', 'cancelled', 'timeout'];

/** OTP statuses of the seed. */
export const OTP_STATUSES = ['active', 'in_progress', 'used', 'expired', 'blocked'] as const;
export type OtpStatus = (typeof OTP_STATUSES)[number];

export const PAYMENT_METHODS = ['mpesa', 'paystack'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * Daraja result codes → our status: 0 paid; 1032 cancelled by the customer; 1037 (no answer from
 * the phone) and 1019 (expired) are a timeout; anything else (1 insufficient balance, 2001 wrong
 * PIN, ...) failed.
 */
export function statusOfResultCode(code: number): PaymentStatus {
  if (code === 0) return 'completed';
  if (code === 1032) return 'cancelled';
  if (code === 1037 || code === 1019) return 'timeout';
  return 'failed';
}
