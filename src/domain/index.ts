import { User } from './identity/user.entity';
import { AuthSession } from './identity/auth-session.entity';
import { OtpChallenge } from './identity/otp-challenge.entity';
import { OtpRequestGate } from './identity/otp-request-gate.entity';
import { RateLimitCounter } from './identity/rate-limit-counter.entity';
import { RefreshToken } from './identity/refresh-token.entity';
import { UserDevice } from './identity/user-device.entity';
import { VerificationToken } from './identity/verification-token.entity';
import { DeviceCommand } from './stations/device-command.entity';
import { PowerBank } from './stations/power-bank.entity';
import { Slot } from './stations/slot.entity';
import { Station } from './stations/station.entity';
import { RentalPackage } from './rentals/rental-package.entity';
import { UserProfile } from './identity/user-profile.entity';
import { KycSubmission } from './identity/kyc-submission.entity';
import { StationFavorite } from './stations/station-favorite.entity';
import { StationIssueReport } from './stations/station-issue-report.entity';
import { MediaUpload } from './engagement/media-upload.entity';
import { AppVersion } from './engagement/app-version.entity';
import { Banner } from './engagement/banner.entity';
import { ContentPage } from './engagement/content-page.entity';
import { FaqItem } from './engagement/faq-item.entity';
import { Notification } from './engagement/notification.entity';
import { FcmLog } from './engagement/fcm-log.entity';
import { moneyEntities } from './money-entities';
import { rentalEntities } from './rentals';

/** Identity: OTP challenges, sessions, devices. */
const identityEntities = [OtpChallenge, OtpRequestGate, VerificationToken, AuthSession, RefreshToken, UserDevice, RateLimitCounter];

/** Every entity, listed explicitly so discovery works the same in ts, js and jest. */
export const entities = [User, Station, Slot, PowerBank, RentalPackage, DeviceCommand, ...identityEntities, ...moneyEntities, ...rentalEntities];
export { User, Station, Slot, PowerBank, RentalPackage, DeviceCommand };
export { OtpChallenge, OtpRequestGate, VerificationToken, AuthSession, RefreshToken, UserDevice, RateLimitCounter };
// Issue 3: profiles, KYC, station favorites/reports, media, app content, notifications.
const engagementEntities = [UserProfile, KycSubmission, StationFavorite, StationIssueReport, MediaUpload, AppVersion, Banner, ContentPage, FaqItem, Notification, FcmLog];
(entities as unknown[]).push(...engagementEntities);
export { UserProfile, KycSubmission, StationFavorite, StationIssueReport, MediaUpload, AppVersion, Banner, ContentPage, FaqItem, Notification, FcmLog };
export * from './money-entities';
export * from './rentals';
