import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowIdReusePolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { AppError } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { newOtpCode, otpHash } from '../rules/codes';
import type { OtpState, VerifyOutcome } from '../rules/otp';
import { dispenseOtpWorkflowId } from '../rules/references';
import { reissueUpdate, verifyAtStationUpdate, type DispenseOtpWorkflow } from '../workflows/definitions';
import { readOtp, readTransaction } from './rows';
import { otpSettings, type WaterConfig } from './settings';

const REFUSALS: Record<Exclude<VerifyOutcome, 'verified'>, [string, string, number]> = {
  invalid: ['INVALID_OTP', 'Invalid OTP', 400],
  blocked: ['OTP_BLOCKED', 'Too many failed attempts: this OTP is blocked', 400],
  expired: ['OTP_EXPIRED', 'OTP has expired', 400],
  used: ['OTP_USED', 'OTP has already been used', 400],
  locked: ['OTP_LOCKED', 'OTP is locked to a different station', 403],
  in_use: ['OTP_IN_USE', 'OTP is in use at a different station', 409],
  valve_not_opened: ['VALVE_NOT_OPENED', 'The station did not confirm that its valve opened; the OTP is still usable', 504],
};

export function presentOtp(s: OtpState) {
  return {
    exists: true,
    status: s.status,
    expiresAt: new Date(s.expiresAt).toISOString(),
    attempts: s.attempts,
    maxAttempts: s.maxAttempts,
    liters: s.liters,
    pulses: s.pulses,
    pulsesDelivered: s.pulsesDelivered,
    remainingAttempts: Math.max(0, s.maxAttempts - s.attempts),
    valve: s.valve ?? null,
  };
}

/** Dispensing OTPs: status, a station's verify (the workflow's update), and re-issue by a station or an admin. */
export class WaterOtpService {
  private readonly q;
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; config: WaterConfig }) {
    this.q = executor(deps.orm);
  }

  async state(ref: string): Promise<OtpState> {
    const s = await readOtp(this.q, ref);
    if (!s) throw new AppError('OTP_NOT_FOUND', 'OTP not found', 404);
    return s;
  }

  async stationStatus(ref: string, stationId: string) {
    const s = await this.state(ref);
    const elsewhere = s.stationId !== null && s.stationId !== stationId;
    const canUse = (s.status === 'active' && s.expiresAt > Date.now()) || (s.status === 'in_progress' && !elsewhere);
    return { ...presentOtp(s), stationId: s.stationId, isLockedToDifferentStation: elsewhere, canUse };
  }

  /** A station submits a code: stored as a keyed hash row, judged by the workflow (update), refused in the seed's codes. */
  async verify(ref: string, code: string, stationId: string) {
    await this.state(ref);
    const [row] = await this.q(`insert into water_otp_codes (transaction_reference, kind, code_hash, station_id) values (?, 'verify', ?, ?) returning id`, [
      ref,
      otpHash(this.deps.config.WATER_OTP_KEY, ref, code),
      stationId,
    ]);
    let result;
    try {
      result = await this.deps.temporal.workflow
        .getHandle(dispenseOtpWorkflowId(ref))
        .executeUpdate(verifyAtStationUpdate, { args: [{ codeId: row.id, stationId }] });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) && !/not found|completed/i.test((err as Error).message)) throw err;
      const s = await this.state(ref); // the run is over: its last word is the row
      const [code, message, status] = REFUSALS[s.status === 'used' ? 'used' : s.status === 'blocked' ? 'blocked' : 'expired'];
      throw new AppError(code, message, status);
    }
    if (result.outcome !== 'verified') {
      const [errCode, message, status] = REFUSALS[result.outcome];
      throw new AppError(
        errCode,
        message,
        status,
        result.outcome === 'invalid' ? { remainingAttempts: result.state.maxAttempts - result.state.attempts } : undefined,
      );
    }
    const s = result.state;
    return {
      transactionReference: ref,
      stationId,
      liters: s.liters,
      pulses: s.pulses - s.pulsesDelivered,
      status: s.status,
      valve: s.valve ?? null,
      verifiedAt: new Date(s.verifiedAt!).toISOString(),
    };
  }

  /** A new code for a completed transaction, returned once (and never stored but as its keyed hash). */
  async generate(ref: string) {
    const tx = await readTransaction(this.q, ref);
    if (!tx) throw new AppError('TRANSACTION_NOT_FOUND', 'Transaction not found', 404);
    if (tx.status !== 'completed') throw new AppError('TRANSACTION_NOT_COMPLETED', 'Transaction is not completed', 409);
    const current = await readOtp(this.q, ref);
    if (current?.status === 'used') throw new AppError('OTP_USED', 'The water of this transaction was dispensed', 409);
    const code = newOtpCode();
    const [row] = await this.q(`insert into water_otp_codes (transaction_reference, kind, code_hash) values (?, 'issue', ?) returning id`, [
      ref,
      otpHash(this.deps.config.WATER_OTP_KEY, ref, code),
    ]);
    const handle = this.deps.temporal.workflow.getHandle(dispenseOtpWorkflowId(ref));
    let s: OtpState;
    try {
      s = await handle.executeUpdate(reissueUpdate, { args: [{ codeId: row.id }] });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) && !/not found|completed/i.test((err as Error).message)) throw err;
      const rest = current ? current.pulses - current.pulsesDelivered : undefined;
      const c = this.deps.config;
      const run = await this.deps.temporal.workflow.start<DispenseOtpWorkflow>('dispenseOtpWorkflow', {
        workflowId: dispenseOtpWorkflowId(ref),
        taskQueue: c.TEMPORAL_TASK_QUEUE,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        typedSearchAttributes: startAttributes({ surface: 'water' }),
        args: [
          { transactionReference: ref, liters: rest !== undefined ? rest / c.STATION_PULSES_PER_LITER : tx.liters, issuedCodeId: row.id, ...otpSettings(c) },
        ],
      });
      s = await this.waitIssued(run.workflowId, row.id);
    }
    return {
      otp: code,
      transactionReference: ref,
      liters: s.liters,
      expiresAt: new Date(s.expiresAt).toISOString(),
      expiresInMinutes: this.deps.config.WATER_OTP_TTL_MINUTES,
    };
  }

  /** The new run stores the issued code first thing; its row says when. */
  private async waitIssued(_workflowId: string, codeId: string): Promise<OtpState> {
    const [code] = await this.q(`select code_hash from water_otp_codes where id = ?`, [codeId]);
    for (let i = 0; i < 100; i++) {
      const [row] = await this.q(
        `select transaction_reference from water_otps o join water_otp_codes c on c.transaction_reference = o.transaction_reference where c.id = ? and o.otp_hash = ? and o.status = 'active'`,
        [codeId, code.code_hash],
      );
      if (row) return this.state(row.transaction_reference);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new AppError('OTP_NOT_ISSUED', 'The new OTP was not stored in time', 503);
  }
}
