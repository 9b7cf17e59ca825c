/**
 * Dispensing (seed 002, water stations in Kenya): water bought with M-Pesa (Daraja STK push) or
 * Paystack (the `water-payment:<reference>` workflow), paid out as a dispensing OTP (the
 * `dispense-otp:<reference>` workflow: SMS through Africa's Talking, verified and locked at a
 * station, pulses counted from the station's MQTT reports). Stations are devices with their own
 * table and credential. The gateways and their local sandboxes live in ./gateways.
 */
export { dispensingEntities } from './entities';
export { PAYMENT_STATUSES, OTP_STATUSES, type PaymentStatus, type OtpStatus } from './rules/statuses';
export { KENYAN_MSISDN, maskPhone } from './rules/pricing';
export { TRANSACTION_REFERENCE, waterPaymentWorkflowId, dispenseOtpWorkflowId } from './rules/references';
export { darajaPassword, darajaTimestamp } from './rules/daraja';
export { WaterPaymentService, presentTransaction } from './services/water-payment.service';
export { WaterOtpService, presentOtp } from './services/water-otp.service';
export { WaterDeskService } from './services/water-desk';
export { authenticateStation, stationSecret, signStationRequest } from './services/station-auth';
export { rotateStationSecret } from './services/station-secrets';
export { handleDispensedEvent, recordWaterHeartbeat } from './services/station-events';
export { recordDeliveryReport } from './services/sms-reports';
export { waterAttention } from './services/water-attention';
export { acceptPaystackWebhook } from './services/paystack-events';
export { createWaterGateways, type WaterGateways } from './services/settings';
export { paystackSignature } from './gateways/paystack/paystack.client';
export { startDarajaSandbox, type DarajaSandbox } from './gateways/daraja/daraja.sandbox';
export { startAtSandbox, type AtSandbox } from './gateways/africastalking/at.sandbox';
export { startPaystackSandbox, type PaystackSandbox } from './gateways/paystack/paystack.sandbox';
export {
  createDispensingActivities,
  createDispensingGatewayActivities,
  type DispensingActivities,
  type DispensingActivityDeps,
} from './activities/dispensing.activities';
export * from './workflows/definitions';
export { startWaterSandboxes, startWaterTestSandboxes, WATER_TEST_CREDENTIALS, type WaterSandboxes, type WaterTestSandboxes } from './gateways/sandboxes';
export { DEMO_WATER_STATIONS, seedWaterStations } from './services/demo';
