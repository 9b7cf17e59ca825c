import { condition, log, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import { createDeviceCommander } from '../../../kernel/devices/commander';
import { AttentionResolved, type Guard } from '../../../kernel/temporal/attention';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import type { DispensingActivities, IssueInput } from '../activities/dispensing.activities';
import { judgeAttempt, litersOf, remainderAfter, type OtpState } from '../rules/otp';
import {
  dispensedSignal,
  otpQuery,
  reissueUpdate,
  verifyAtStationUpdate,
  type DispensedReport,
  type DispenseOtpInput,
  type DispenseOtpWorkflow,
  type VerifyAtStationResult,
} from './definitions';
import { waterActs, waterGuard, type WaterActs } from './acts';
import { WATER_PATCHES } from './patches';

const acts = proxyActivities<DispensingActivities>({ startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '1m' } });

/** Before WATER_VALVE_ACK_SECONDS was in the input. */
const DEFAULT_VALVE_ACK_MS = 15_000;

const isOver = (s: OtpState) => s.status === 'used' || s.status === 'expired' || s.status === 'blocked';

/** One step at a time: updates, reports and timers never interleave their activities. */
function serial() {
  let busy = false;
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  };
}

/** A station's report: only the station the code is locked to counts; full volume → used; stopped short → a new code for the rest. */
async function applyReport(s: OtpState, r: DispensedReport, input: DispenseOtpInput, issue: Issue): Promise<OtpState> {
  if (s.status !== 'in_progress' || r.stationId !== s.stationId) return s;
  const next = { ...s, pulsesDelivered: Math.max(s.pulsesDelivered, Math.min(Math.floor(r.pulses), s.pulses)) };
  if (next.pulsesDelivered >= next.pulses) return acts.waterSaveOtp({ ...next, status: 'used', ...closed(s) });
  if (!r.final) return next.pulsesDelivered > s.pulsesDelivered ? acts.waterSaveOtp(next) : s;
  return finishShort({ ...next, ...closed(s) }, input, issue);
}

/** Issues a code and sends it by SMS (the guarded gateway step). */
type Issue = (i: IssueInput) => Promise<OtpState>;

/**
 * The SMS step: on the gateway queue with bounded retries; Africa's Talking unreachable past them
 * parks the run (`needs_attention`). Retry sends a new code; resolve goes on with the row as it is
 * (an admin re-issues the code by hand with POST /otp/generate, which this run still serves).
 */
function guardedIssue(a: WaterActs, guard: Guard): Issue {
  return async (i) => {
    try {
      return await guard('send the code by SMS', () => a.sms.waterIssueOtp(i));
    } catch (err) {
      if (!(err instanceof AttentionResolved)) throw err;
      return a.db.waterReadOtp({ transactionReference: i.transactionReference });
    }
  };
}

/** The valve closed with the station's last report (only said of runs that opened it by command). */
const closed = (s: OtpState): Partial<OtpState> => (s.valve ? { valve: 'closed' } : {});

/** The partial dispense rule (rules/otp.ts): what was delivered stays counted, a new code for the rest goes by SMS. */
async function finishShort(s: OtpState, input: DispenseOtpInput, issue: Issue): Promise<OtpState> {
  const rest = remainderAfter(s, input.pulsesPerLiter);
  if (!rest) return acts.waterSaveOtp({ ...s, status: 'used' });
  await acts.waterRecordPartial({
    transactionReference: s.transactionReference,
    stationId: s.stationId!,
    litersDelivered: litersOf(s.pulsesDelivered, input.pulsesPerLiter),
  });
  return issue({
    transactionReference: s.transactionReference,
    liters: rest.liters,
    pulses: rest.pulses,
    issue: s.issue + 1,
    ttlMs: input.ttlMs,
    maxAttempts: input.maxAttempts,
  });
}

/** The run's state and what wakes it: station reports (signal), verifies and re-issues (updates), its timers. */
class OtpRun {
  readonly reports: DispensedReport[] = [];
  readonly step = serial();
  changes = 0;
  lastActivity = Date.now();
  /** Runs from WATER_PATCHES.valveCommand on open the valve by command after a verify. */
  readonly send = createDeviceCommander();
  readonly valveCommand = patched(WATER_PATCHES.valveCommand);
  constructor(
    readonly input: DispenseOtpInput,
    public s: OtpState,
    readonly issue: Issue,
  ) {}

  set(next: OtpState) {
    if (next !== this.s) this.changes++;
    this.s = next;
    setBusinessStatus(next.status);
  }

  listen() {
    const ref = this.input.transactionReference;
    setHandler(otpQuery, () => this.s);
    setHandler(dispensedSignal, (r) => void this.reports.push(r));
    setHandler(verifyAtStationUpdate, ({ codeId, stationId }) =>
      this.step(async () => {
        const { matched } = await acts.waterCheckCode({ codeId, transactionReference: ref });
        const before = this.s;
        const { outcome, next } = judgeAttempt(this.s, stationId, matched, Date.now());
        if (next !== this.s) this.set(await acts.waterSaveOtp(next));
        if (outcome !== 'verified') return { outcome, state: this.s };
        this.lastActivity = Date.now();
        return this.valveCommand ? this.openValve(before) : { outcome, state: this.s };
      }),
    );
    setHandler(reissueUpdate, ({ codeId }) =>
      this.step(async () => {
        if (this.s.status === 'used') return this.s;
        const rest = this.s.pulses - this.s.pulsesDelivered;
        const { ttlMs, maxAttempts, pulsesPerLiter } = this.input;
        this.set(
          await acts.waterIssueOtp({
            transactionReference: ref,
            liters: litersOf(rest, pulsesPerLiter),
            pulses: rest,
            issue: this.s.issue + 1,
            ttlMs,
            maxAttempts,
            codeId,
          }),
        );
        return this.s;
      }),
    );
  }

  /**
   * `open_valve` to the station the code is now locked to, for the pulses still owed; waits for its
   * ack. Acked: dispensing (`valve: open`). No ack in time, or refused: the OTP goes back to what it
   * was before this verify (usable again, at any station if it was not locked yet), `valve: no_ack`.
   */
  async openValve(before: OtpState): Promise<VerifyAtStationResult> {
    const s = this.s;
    const pulses = s.pulses - s.pulsesDelivered;
    const liters = litersOf(pulses, this.input.pulsesPerLiter);
    const args = { transactionReference: s.transactionReference, pulses, liters };
    const sent = await this.send('water', s.stationId!, 'open_valve', args, this.input.valveAckMs ?? DEFAULT_VALVE_ACK_MS, 'dispense-otp');
    if (sent.status === 'acked') {
      this.set(await acts.waterSaveOtp({ ...this.s, valve: 'open' }));
      this.lastActivity = Date.now();
      return { outcome: 'verified', state: this.s };
    }
    log.warn('valve did not open: the OTP stays usable', { stationId: s.stationId, outcome: sent.status, error: sent.error });
    this.set(await acts.waterSaveOtp({ ...before, valve: 'no_ack' }));
    return { outcome: 'valve_not_opened', state: this.s };
  }

  /** Reports first; then, if a timer ran out: an unused code expires, a silent station's delivery counts as final. */
  async wake(woke: boolean) {
    for (const r of this.reports.splice(0)) {
      const before = this.s;
      this.set(await applyReport(this.s, r, this.input, this.issue));
      if (this.s !== before) this.lastActivity = Date.now();
    }
    if (woke || isOver(this.s)) return;
    if (this.s.status === 'active' && Date.now() >= this.s.expiresAt) this.set(await acts.waterSaveOtp({ ...this.s, status: 'expired' }));
    else if (this.s.status === 'in_progress' && Date.now() >= this.lastActivity + this.input.idleMs)
      this.set(await finishShort(this.s, this.input, this.issue));
  }

  async loop() {
    while (!isOver(this.s)) {
      const seen = this.changes;
      const until = this.s.status === 'active' ? this.s.expiresAt : this.lastActivity + this.input.idleMs;
      const woke = await condition(() => this.reports.length > 0 || this.changes !== seen, Math.max(until - Date.now(), 1));
      await this.step(() => this.wake(woke));
    }
  }
}

/**
 * `dispense-otp:<transactionReference>`: issues a 6-digit code (its keyed hash stored, the code
 * sent by SMS; neither in this history), then: a station's verify (update) locks it there and
 * returns the pulses; the station's MQTT reports (signal) count the pulses delivered until the
 * full volume (`used`); 3 wrong codes `blocked`; unused after the TTL `expired`.
 */
export const dispenseOtpWorkflow: DispenseOtpWorkflow = async function dispenseOtpWorkflow(input) {
  const a = waterActs(input.smsAttempts);
  const holder: { run?: OtpRun } = {};
  const guard = waterGuard('water_otp', input.transactionReference, a, () => holder.run?.s.status ?? 'active');
  const issue = guardedIssue(a, guard);
  const first = await issue({
    transactionReference: input.transactionReference,
    liters: input.liters,
    pulses: Math.round(input.liters * input.pulsesPerLiter),
    issue: 1,
    ttlMs: input.ttlMs,
    maxAttempts: input.maxAttempts,
    codeId: input.issuedCodeId,
  });
  const run = (holder.run = new OtpRun(input, first, issue));
  run.listen();
  setBusinessStatus(first.status);
  await run.loop();
  return run.s;
};
