/**
 * Identity: users and their profiles and KYC, OTP challenges (the `auth-otp:<id>` workflow and
 * its SMS/email delivery), sessions and tokens, devices. Other modules learn who a user is through
 * userContact(s), whether they may rent through isProfileComplete / isKycApproved, and attach to
 * the user lifecycle (registration, erasure) through the hooks below, wired by src/workers.
 */
export { identityEntities } from './entities';
export { KYC_STATUSES, type KycStatus } from './entities/kyc-submission.entity';
export { GENDERS, type Gender } from './entities/user-profile.entity';
export { ROLES, type Role } from './entities/user.entity';
export { OTP_PURPOSES, type OtpPurpose } from './rules/otp';
export { CITIZENSHIP_NUMBER_PATTERN } from './rules/citizenship';
export { ageOn, MIN_AGE_YEARS, REQUIRED_PROFILE_FIELDS } from './rules/profile-completeness';
export type { OtpChannel } from './rules/identifier';
export { anchored, EMAIL_PATTERN, INDIAN_MOBILE_PATTERN, MONGOLIAN_MOBILE_PATTERN, NEPALI_MOBILE_PATTERN } from './rules/identifier';

export { signAccessToken, verifyAccessToken, type AccessVerifier, type SessionState } from './services/access-token';
export { createAccessVerifier } from './services/session-lookup';
export { tokenKeys, type TokenKeys } from './services/jwt-keys';
export { ADMIN_ROLES, SUPER_ADMIN_ROLES, STAFF_ROLES, LIMITED_STAFF_ROLES, type LimitedStaffRole, isAdminRole, isStaffRole } from './rules/roles';
export { SecondFactorService, type SecondFactorProof } from './services/second-factor.service';
export { SessionService, type SessionView } from './services/session.service';
export { AccountService, type PublicUser } from './services/account.service';
export { AuthTokenService, type TokenPair, type ClientMeta } from './services/auth-token.service';
export { DeviceService } from './services/device.service';
export { OtpService, OtpCooldownError } from './services/otp.service';
export { OtpRetryLaterError } from './services/otp-guard';
export { otpLocksAttention } from './services/otp-locks-attention';
export { ProfileService, isProfileComplete } from './services/profile.service';
export { KycService } from './services/kyc.service';
export { isKycApproved, type KycState } from './services/kyc-read';
export { UserDirectoryService, type UserListQuery } from './services/user-directory.service';
export { broadcastRecipients } from './services/broadcast-recipients';
export { UserAdminService, ADMIN_USER_STATUSES, type AdminUserStatus, type AdminUserView } from './services/user-admin.service';
export { userContact, userContacts, type UserContact } from './services/user-lookup';
export { userDeviceTokens, usersWithDevices } from './services/device-tokens';
export { PgRateLimitStore } from './services/pg-rate-limit-store';
export { refreshTokenOwner } from './services/refresh-owner';
export { AccountClosureGuard, type ClosureBlocker, type ClosureCheck } from './services/account-closure.guard';
export {
  addAccountErasureStep,
  addUserRegisteredListener,
  type AccountErasureStep,
  type UserRegisteredEvent,
  type UserRegisteredListener,
} from './services/user-lifecycle';

export { createMessaging, type Messaging } from './delivery/messaging';
export type { SmsSender, SmsMessage, SmsReceipt } from './delivery/sms-sender';
export type { EmailSender, EmailMessage } from './delivery/email-sender';
export * from './delivery/sandboxes';

export { createOtpActivities, type OtpActivities, type OtpActivityDeps } from './activities/otp.activities';
export { otpWorkflowId, otpStateQuery, supersedeOtpSignal, verifyOtpUpdate, type OtpWorkflow, type OtpWorkflowInput } from './workflows/definitions';
export { userAnalytics, userCounts, type UserAnalytics } from './services/user-analytics';
