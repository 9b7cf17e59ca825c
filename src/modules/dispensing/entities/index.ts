import { WaterGatewayEvent } from './water-gateway-event.entity';
import { WaterOtpCode } from './water-otp-code.entity';
import { WaterOtp } from './water-otp.entity';
import { WaterSms } from './water-sms.entity';
import { WaterStation } from './water-station.entity';
import { WaterTransaction } from './water-transaction.entity';

/** The dispensing module's MikroORM entities (its tables). */
export const dispensingEntities = [WaterTransaction, WaterOtp, WaterOtpCode, WaterStation, WaterGatewayEvent, WaterSms];
export { WaterTransaction, WaterOtp, WaterOtpCode, WaterStation, WaterGatewayEvent, WaterSms };
