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
import { moneyEntities } from './money-entities';
import { rentalEntities } from './rentals';

/** Identity: OTP challenges, sessions, devices. */
const identityEntities = [OtpChallenge, OtpRequestGate, VerificationToken, AuthSession, RefreshToken, UserDevice, RateLimitCounter];

/** Every entity, listed explicitly so discovery works the same in ts, js and jest. */
export const entities = [User, Station, Slot, PowerBank, RentalPackage, DeviceCommand, ...identityEntities, ...moneyEntities, ...rentalEntities];
export { User, Station, Slot, PowerBank, RentalPackage, DeviceCommand };
export { OtpChallenge, OtpRequestGate, VerificationToken, AuthSession, RefreshToken, UserDevice, RateLimitCounter };
export * from './money-entities';
export * from './rentals';
