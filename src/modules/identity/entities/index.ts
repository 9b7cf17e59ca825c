import { AdminRecoveryCode } from './admin-recovery-code.entity';
import { AdminTotp } from './admin-totp.entity';
import { AuthSession } from './auth-session.entity';
import { KycSubmission } from './kyc-submission.entity';
import { OtpAttempt } from './otp-attempt.entity';
import { OtpChallenge } from './otp-challenge.entity';
import { OtpIdentifierLock } from './otp-identifier-lock.entity';
import { OtpRequestGate } from './otp-request-gate.entity';
import { RateLimitCounter } from './rate-limit-counter.entity';
import { RefreshToken } from './refresh-token.entity';
import { UserDevice } from './user-device.entity';
import { UserProfile } from './user-profile.entity';
import { User } from './user.entity';
import { VerificationToken } from './verification-token.entity';

/** The identity module's MikroORM entities (its tables), listed explicitly so discovery works the same in ts, js and jest. */
export const identityEntities = [
  AdminRecoveryCode,
  AdminTotp,
  AuthSession,
  KycSubmission,
  OtpAttempt,
  OtpChallenge,
  OtpIdentifierLock,
  OtpRequestGate,
  RateLimitCounter,
  RefreshToken,
  UserDevice,
  UserProfile,
  User,
  VerificationToken,
];
export {
  AdminRecoveryCode,
  AdminTotp,
  AuthSession,
  KycSubmission,
  OtpAttempt,
  OtpChallenge,
  OtpIdentifierLock,
  OtpRequestGate,
  RateLimitCounter,
  RefreshToken,
  UserDevice,
  UserProfile,
  User,
  VerificationToken,
};
