import { User } from '../modules/identity/entities/user.entity';
import { AuthSession } from '../modules/identity/entities/auth-session.entity';
import { OtpChallenge } from '../modules/identity/entities/otp-challenge.entity';
import { OtpRequestGate } from '../modules/identity/entities/otp-request-gate.entity';
import { RateLimitCounter } from '../modules/identity/entities/rate-limit-counter.entity';
import { RefreshToken } from '../modules/identity/entities/refresh-token.entity';
import { UserDevice } from '../modules/identity/entities/user-device.entity';
import { VerificationToken } from '../modules/identity/entities/verification-token.entity';
import { DeviceCommand } from '../modules/stations/entities/device-command.entity';
import { PowerBank } from '../modules/stations/entities/power-bank.entity';
import { Slot } from '../modules/stations/entities/slot.entity';
import { Station } from '../modules/stations/entities/station.entity';
import { RentalPackage } from '../modules/rentals/entities/rental-package.entity';
import { UserProfile } from '../modules/identity/entities/user-profile.entity';
import { KycSubmission } from '../modules/identity/entities/kyc-submission.entity';
import { StationFavorite } from '../modules/stations/entities/station-favorite.entity';
import { StationIssueReport } from '../modules/stations/entities/station-issue-report.entity';
import { MediaUpload } from '../modules/engagement/entities/media-upload.entity';
import { AppVersion } from '../modules/engagement/entities/app-version.entity';
import { Banner } from '../modules/engagement/entities/banner.entity';
import { ContentPage } from '../modules/engagement/entities/content-page.entity';
import { FaqItem } from '../modules/engagement/entities/faq-item.entity';
import { Notification } from '../modules/engagement/entities/notification.entity';
import { FcmLog } from '../modules/engagement/entities/fcm-log.entity';
import { moneyEntities } from './money-entities';
import { rentalEntities } from '../modules/rentals/entities';

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
export * from '../modules/rentals/entities';
