import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OtpState, VerifyOutcome } from '../rules/otp';
import type { PaymentMethod, PaymentStatus } from '../rules/statuses';

/** The dispensing workflows' contract: ids, inputs, messages and signatures. */

/** The gateway worker's queue (the same `<task queue>-gateways` the payments module's gateway calls use). */
export const waterGatewayQueue = (taskQueue: string) => `${taskQueue}-gateways`;

/** Which water run is parked as needs_attention (the admin desk's kinds). */
export type WaterRunKind = 'water_payment' | 'water_otp';

export interface WaterPaymentInput {
  transactionReference: string;
  method: PaymentMethod;
  /** Whole liters bought (what the OTP will dispense). */
  liters: number;
  /** Settles as `timeout` when nothing final is known after this long (seed: 30 minutes). */
  timeoutMs: number;
  /** First and longest wait between two looks at the gateway (back-off doubles in between). */
  pollMs: number;
  maxPollMs: number;
  otp: DispenseOtpSettings;
}

export interface PaymentSnapshot {
  transactionReference: string;
  status: PaymentStatus;
  checkoutRequestId?: string;
  authorizationUrl?: string;
  accessCode?: string;
  reason?: string;
}

export interface DispenseOtpSettings {
  ttlMs: number;
  maxAttempts: number;
  pulsesPerLiter: number;
  /** A station silent this long while dispensing: what it delivered counts as final. */
  idleMs: number;
  /** How long the station has to ack `open_valve` after a verify (runs started before the valve command: none sent). */
  valveAckMs?: number;
  /** Tries of the SMS with the code before the run parks as needs_attention (runs before it: unlimited). */
  smsAttempts?: number;
}

export interface DispenseOtpInput extends DispenseOtpSettings {
  transactionReference: string;
  liters: number;
  /** A code the API issued (POST /otp/generate on a closed run): its `water_otp_codes` row. */
  issuedCodeId?: string;
}

/** A gateway told us something (Daraja callback, Paystack webhook or browser return): look at the gateway now. */
export const gatewayHintSignal = defineSignal('waterGatewayHint');
/** A customer's or station's "check now" (mpesa/query, paystack/verify): answered once the gateway was asked. */
export const checkNowUpdate = defineUpdate<PaymentSnapshot>('waterCheckNow');
/** The initiate call waits for the push (or the Paystack page) to exist. */
export const startedUpdate = defineUpdate<PaymentSnapshot>('waterStarted');
export const paymentQuery = defineQuery<PaymentSnapshot>('waterPayment');

/** A code a station submitted, by its `water_otp_codes` row (no code or hash in history). */
export interface VerifyAtStationInput {
  codeId: string;
  stationId: string;
}
export interface VerifyAtStationResult {
  outcome: VerifyOutcome;
  state: OtpState;
}
export const verifyAtStationUpdate = defineUpdate<VerifyAtStationResult, [VerifyAtStationInput]>('verifyAtStation');
/** POST /otp/generate on a live run: replaces the code with the one in this `water_otp_codes` row. */
export const reissueUpdate = defineUpdate<OtpState, [{ codeId: string }]>('reissueOtp');
/** A station's report over MQTT (`water/<stationId>/event`): pulses delivered so far; `final` when its valve closed. */
export interface DispensedReport {
  stationId: string;
  pulses: number;
  final: boolean;
  reason?: string;
}
export const dispensedSignal = defineSignal<[DispensedReport]>('waterDispensed');
export const otpQuery = defineQuery<OtpState>('waterOtp');

export type WaterPaymentWorkflow = (input: WaterPaymentInput) => Promise<PaymentSnapshot>;
export type DispenseOtpWorkflow = (input: DispenseOtpInput) => Promise<OtpState>;
