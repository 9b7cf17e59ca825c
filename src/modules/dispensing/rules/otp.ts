import type { OtpStatus } from './statuses';

/** What the dispensing OTP workflow knows and the status endpoints show (the code itself never). */
export interface OtpState {
  transactionReference: string;
  status: OtpStatus;
  liters: number;
  pulses: number;
  pulsesDelivered: number;
  attempts: number;
  maxAttempts: number;
  expiresAt: number;
  stationId: string | null;
  verifiedAt: number | null;
  /** 1 for the first code; each re-issue (POST /otp/generate, a partial dispense's remainder) adds one. */
  issue: number;
  /** The station's valve after the last verify (absent before the valve command existed). */
  valve?: ValveState | null;
}

/** `open`: the station acked `open_valve`; `no_ack`: it did not in time (or refused), the OTP stayed usable; `closed`: it reported its last pulses. */
export type ValveState = 'open' | 'no_ack' | 'closed';

export type VerifyOutcome = 'verified' | 'invalid' | 'blocked' | 'expired' | 'used' | 'locked' | 'in_use' | 'valve_not_opened';

/**
 * A code submitted at a station, given whether it matched. A wrong code counts an attempt (the
 * last allowed one blocks). A right code at the station it is locked to (or at any while active)
 * starts or resumes dispensing there; at another station it is refused: `in_use` (409) once water
 * flows there, `locked` (403) before.
 */
export function judgeAttempt(s: OtpState, stationId: string, matched: boolean, now: number): { outcome: VerifyOutcome; next: OtpState } {
  if (s.status === 'used' || s.status === 'blocked') return { outcome: s.status, next: s };
  if (s.status === 'expired' || (s.status === 'active' && now >= s.expiresAt)) return { outcome: 'expired', next: { ...s, status: 'expired' } };
  if (!matched) {
    const attempts = s.attempts + 1;
    return attempts >= s.maxAttempts ? { outcome: 'blocked', next: { ...s, attempts, status: 'blocked' } } : { outcome: 'invalid', next: { ...s, attempts } };
  }
  if (s.status === 'in_progress' && s.stationId !== stationId) return { outcome: s.pulsesDelivered > 0 ? 'in_use' : 'locked', next: s };
  return { outcome: 'verified', next: { ...s, status: 'in_progress', stationId, verifiedAt: s.verifiedAt ?? now } };
}

/** Liters of a pulse count (three decimals). */
export const litersOf = (pulses: number, pulsesPerLiter: number) => Math.round((pulses / pulsesPerLiter) * 1000) / 1000;

/**
 * Partial dispense rule: what the station did not deliver is not lost. The same transaction gets a
 * new code (by SMS) for the remaining pulses, usable at any station; the delivered part stays
 * counted. Returns undefined when nothing remains.
 */
export function remainderAfter(s: OtpState, pulsesPerLiter: number): { pulses: number; liters: number } | undefined {
  const pulses = s.pulses - s.pulsesDelivered;
  return pulses > 0 ? { pulses, liters: litersOf(pulses, pulsesPerLiter) } : undefined;
}
