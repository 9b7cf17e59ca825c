import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ChargingActivities } from '../activities/charging.activities';
import { affordableWh, energyCost, waitingMinutes } from '../rules/billing';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import {
  chargingStateQuery,
  connectionSignal,
  finishSignal,
  meterSignal,
  startedSignal,
  statusSignal,
  stoppedSignal,
  type ChargingInput,
  type ChargingWorkflow,
} from './definitions';

const acts = proxyActivities<ChargingActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 5, initialInterval: '1 second' } });

/** Stop at this share of what the hold pays for: the meter values that still arrive before StopTransaction stay covered. */
const STOP_SHARE = 0.95;

interface Session {
  started: { transactionId: number; meterStart: number } | null;
  meterLast: number | null;
  meterStop: number | null;
  connected: boolean;
  finish: boolean;
  /** When charging ended (SuspendedEV or StopTransaction) and when the cable left (Available). */
  endedAt: number | null;
  unpluggedAt: number | null;
  changes: number;
}

function listen(s: Session, input: ChargingInput): void {
  const bump = () => void (s.changes += 1);
  setHandler(startedSignal, (v) => void ((s.started ??= v), (s.meterLast ??= v.meterStart), bump()));
  setHandler(meterSignal, (v) => void ((s.meterLast = Math.max(s.meterLast ?? 0, v.wh)), bump()));
  setHandler(stoppedSignal, (v) => void ((s.meterStop ??= v.meterStop), (s.endedAt ??= Date.now()), bump()));
  setHandler(statusSignal, ({ status }) => {
    if (status === 'SuspendedEV' && s.started && s.meterStop === null) s.endedAt ??= Date.now();
    if (status === 'Charging' && s.meterStop === null) s.endedAt = null;
    if (status === 'Available' && s.meterStop !== null) s.unpluggedAt ??= Date.now();
    bump();
  });
  setHandler(connectionSignal, ({ connected }) => void ((s.connected = connected), bump()));
  setHandler(finishSignal, () => void ((s.finish = true), bump()));
  setHandler(chargingStateQuery, () => {
    const wh = s.started && s.meterLast !== null ? s.meterLast - s.started.meterStart : 0;
    return { state: s.meterStop !== null ? 'finishing' : s.started ? 'charging' : 'starting', wh, cost: energyCost(wh, input.price) };
  });
}

/** Follows the meter until the session stops (the driver, the balance, the charger); false when the charger never came back. */
async function follow(input: ChargingInput, s: Session): Promise<{ reason: string; flagged: boolean }> {
  const limitWh = Math.floor(affordableWh(input.holdMinor, input.price) * STOP_SHARE);
  let reason: string | null = null;
  let reported = -1;
  while (s.meterStop === null) {
    const wh = (s.meterLast ?? 0) - s.started!.meterStart;
    if (!reason && (s.finish || wh >= limitWh)) {
      reason = s.finish ? 'user' : 'balance';
      await acts.remoteStopCharging({ deviceNumber: input.deviceNumber, transactionId: s.started!.transactionId });
    }
    if (wh !== reported) {
      reported = wh;
      await acts.reportProgress({ purchaseId: input.purchaseId, userId: input.userId, meterLast: s.meterLast ?? 0, wh, cost: energyCost(wh, input.price) });
    }
    if (!s.connected) {
      const back = await condition(() => s.connected || s.meterStop !== null, input.disconnectGraceSeconds * 1000);
      if (!back) return { reason: 'disconnected', flagged: true };
      continue;
    }
    // Signals that arrived while an activity ran (StopTransaction among them) count too: wait only when nothing is new.
    const seen = s.changes;
    await condition(() => s.changes !== seen || s.meterStop !== null);
  }
  return { reason: reason ?? 'charger', flagged: false };
}

/**
 * One charging session (`charging:<purchaseId>`): RemoteStartTransaction, StartTransaction within
 * the timeout (else the hold is released and nothing is charged), MeterValues until the driver
 * finishes, the hold would run out (RemoteStopTransaction) or the charger stops; then the waiting
 * minutes until the cable leaves, and the bill through the ledger, once. A charger that stays
 * away longer than the grace is billed from its last meter value and the purchase flagged.
 */
export const chargingWorkflow: ChargingWorkflow = async function chargingWorkflow(input) {
  const s: Session = { started: null, meterLast: null, meterStop: null, connected: true, finish: false, endedAt: null, unpluggedAt: null, changes: 0 };
  listen(s, input);
  setBusinessStatus('starting');
  const accepted = await acts.remoteStartCharging({ deviceNumber: input.deviceNumber, purchaseId: input.purchaseId });
  const began = accepted && (await condition(() => s.started !== null || s.finish, input.startTimeoutSeconds * 1000)) && s.started !== null;
  if (!began) {
    await acts.releasePurchase({ purchaseId: input.purchaseId, userId: input.userId, reason: accepted ? 'no_start' : 'rejected' });
    setBusinessStatus('failed');
    return {
      purchaseId: input.purchaseId,
      status: 'failed',
      amount: 0,
      wh: 0,
      waitingMinutes: 0,
      flagged: false,
      stopReason: accepted ? 'no_start' : 'rejected',
    };
  }
  await acts.recordStarted({ purchaseId: input.purchaseId, ...s.started! });
  setBusinessStatus('charging');
  const { reason, flagged } = await follow(input, s);
  setBusinessStatus('finishing');
  if (!flagged && s.unpluggedAt === null) await condition(() => s.unpluggedAt !== null, input.waitingCapMinutes * 60_000 + 60_000);
  const minutes = flagged ? 0 : waitingMinutes(s.endedAt, s.unpluggedAt ?? Date.now(), input.waitingCapMinutes);
  const bill = await acts.billPurchase({
    purchaseId: input.purchaseId,
    userId: input.userId,
    meterStop: s.meterStop ?? s.meterLast ?? s.started!.meterStart,
    waitingMinutes: minutes,
    flagged,
    stopReason: reason,
  });
  setBusinessStatus('billed');
  return { purchaseId: input.purchaseId, status: 'billed', amount: bill.amount, wh: bill.wh, waitingMinutes: minutes, flagged, stopReason: reason };
};
