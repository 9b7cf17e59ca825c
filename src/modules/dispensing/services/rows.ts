import type { Execute } from '../../../kernel/sql';
import type { OtpState } from '../rules/otp';

/** The module's rows as plain objects (snake_case, as PostgreSQL returns them). */
export async function readTransaction(q: Execute, ref: string): Promise<Record<string, any> | undefined> {
  const [row] = await q(`select * from water_transactions where transaction_reference = ?`, [ref]);
  return row;
}

export function otpStateOf(r: Record<string, any>): OtpState {
  return {
    transactionReference: r.transaction_reference,
    status: r.status,
    liters: Number(r.liters),
    pulses: r.pulses,
    pulsesDelivered: r.pulses_delivered,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    expiresAt: new Date(r.expires_at).getTime(),
    stationId: r.station_id ?? null,
    verifiedAt: r.verified_at ? new Date(r.verified_at).getTime() : null,
    issue: r.issue,
    valve: r.valve_state ?? null,
  };
}

export async function readOtp(q: Execute, ref: string): Promise<OtpState | undefined> {
  const [row] = await q(`select * from water_otps where transaction_reference = ?`, [ref]);
  return row ? otpStateOf(row) : undefined;
}

/** The workflow's state, written as the row the status endpoints read. */
export async function saveOtp(q: Execute, s: OtpState): Promise<void> {
  await q(
    `update water_otps set status = ?, attempts = ?, station_id = ?, verified_at = ?, pulses_delivered = ?, valve_state = ?, updated_at = now() where transaction_reference = ?`,
    [s.status, s.attempts, s.stationId, s.verifiedAt ? new Date(s.verifiedAt) : null, s.pulsesDelivered, s.valve ?? null, s.transactionReference],
  );
}
