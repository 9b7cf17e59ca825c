import { WaterGatewayEvent } from './water-gateway-event.entity';
import { WaterOtpCode } from './water-otp-code.entity';
import { WaterOtp } from './water-otp.entity';
import { WaterSms } from './water-sms.entity';
import { WaterStation } from './water-station.entity';
import { WaterTransaction } from './water-transaction.entity';
import { WaterStationSecret } from './water-station-secret.entity';
import { WaterRequestNonce } from './water-request-nonce.entity';

/** The dispensing module's MikroORM entities (its tables). */
export const dispensingEntities = [WaterTransaction, WaterOtp, WaterOtpCode, WaterStation, WaterGatewayEvent, WaterSms, WaterStationSecret, WaterRequestNonce];
export { WaterTransaction, WaterOtp, WaterOtpCode, WaterStation, WaterGatewayEvent, WaterSms, WaterStationSecret, WaterRequestNonce };
