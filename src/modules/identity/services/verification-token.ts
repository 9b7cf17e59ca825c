import { AppError } from '../../../kernel/errors';
import type { OtpChannel } from '../rules/identifier';
import { sha256Hex } from './otp-crypto';
import type { Execute } from '../../../kernel/sql';

export interface VerifiedIdentifier {
  identifier: string;
  channel: OtpChannel;
}

/**
 * Spends a verification token inside the caller's transaction: one conditional update, so two
 * concurrent uses cannot both succeed. If the caller's transaction rolls back (unknown user,
 * username taken) the token stays usable.
 */
export async function consumeVerificationToken(tx: Execute, token: string, usedFor: 'login' | 'register'): Promise<VerifiedIdentifier> {
  const hash = sha256Hex(token);
  const [row] = await tx(
    `update verification_tokens set consumed_at = now(), consumed_for = ? where token_hash = ? and consumed_at is null and expires_at > now() returning identifier, channel`,
    [usedFor, hash],
  );
  if (row) return { identifier: row.identifier, channel: row.channel };
  const [seen] = await tx(`select consumed_at from verification_tokens where token_hash = ?`, [hash]);
  if (!seen) throw new AppError('INVALID_VERIFICATION_TOKEN', 'Verification token is not valid; verify the OTP again', 401);
  if (seen.consumed_at) throw new AppError('VERIFICATION_TOKEN_USED', 'Verification token was already used; verify a new OTP', 401);
  throw new AppError('VERIFICATION_TOKEN_EXPIRED', 'Verification token has expired; verify a new OTP', 401);
}
