import { allHandlersFinished, CancellationScope, condition, isCancellation, log } from '@temporalio/workflow';
import type { createDeviceCommander } from '../../../kernel/devices/commander';
import { attentionReason, AttentionResolved, type Guard } from '../../../kernel/temporal/attention';
import { rentalCurrency } from '../rules/currency';
import { MINUTE } from '../rules/rules';
import { rentalKeys, type EjectFailureCode, type EjectResult, type RentalInput } from './definitions';
import { ejectedWithoutAck, shortfallOf, type Compensation } from './eject-common';
import { ejectPowerBankBeforeCompensatingEveryFailure } from './eject-legacy';
import { messages } from './messages';
import { RENTAL_PATCHES } from './patches';
import type { RentalState } from './state';
import type { RentalRuntime } from './runtime';

type Failure = { code: EjectFailureCode; reason: string; shortfallMinor?: number };

/** The refund of the pre-payment, if it was taken: the compensation of a failed eject. */
const refundPrePayment =
  (input: RentalInput, rt: RentalRuntime): Compensation =>
  () =>
    rt.db.refundRentalCharges({
      rentalId: input.rentalId,
      userId: input.userId,
      currency: rentalCurrency(input.pkg),
      keys: [rentalKeys.charge(input.rentalId)],
      reason: 'the power bank was not ejected',
    });

/** Pre-payment: the package price, taken before the eject under the rental's charge key. */
async function chargePrePayment(input: RentalInput, s: RentalState, rt: RentalRuntime): Promise<void> {
  const key = rentalKeys.charge(input.rentalId);
  await rt.money.chargeRental({
    key,
    userId: input.userId,
    amountMinor: input.pkg.priceMinor,
    currency: rentalCurrency(input.pkg),
    mode: input.paymentMode,
    type: 'rental_charge',
    description: `Rental: ${input.pkg.name}`,
    metadata: { rental_id: input.rentalId, package_id: input.pkg.id },
  });
  s.chargeKeys.push(key);
  s.paidMinor = input.pkg.priceMinor;
}

/**
 * The kiosk acked: the rental runs from now. The ack may name the bay and power bank it released;
 * since `power-bank-from-rental` that never replaces the ones the rental was given (a kiosk that
 * names another is logged).
 */
async function ejected(input: RentalInput, s: RentalState, ack: Record<string, unknown> | undefined, rt: RentalRuntime): Promise<EjectResult> {
  let slot = typeof ack?.slot === 'number' ? ack.slot : input.slot;
  let powerBankSn = typeof ack?.powerBankSn === 'string' ? ack.powerBankSn : input.powerBankSn;
  if ((slot !== input.slot || powerBankSn !== input.powerBankSn) && rt.has(RENTAL_PATCHES.powerBankFromRental)) {
    log.warn('kiosk acked the eject naming another bay or power bank: the rental keeps its own', { rentalId: input.rentalId, ack });
    slot = input.slot;
    powerBankSn = input.powerBankSn;
  }
  s.startedAt ??= Date.now();
  s.dueAt ??= s.startedAt + input.pkg.durationMinutes * MINUTE;
  s.phase = 'active';
  await rt.db.rentalEjected({
    rentalId: input.rentalId,
    stationSn: input.stationSn,
    slot,
    powerBankSn,
    startedAt: s.startedAt,
    dueAt: s.dueAt,
    paidMinor: s.paidMinor,
    paymentStatus: input.paymentModel === 'pre_payment' ? 'paid' : 'pending',
  });
  return { ok: true, slot, powerBankSn, startedAt: s.startedAt, dueAt: s.dueAt, paidMinor: s.paidMinor };
}

/** No ejection: every compensation runs (whatever the failure was), then the rental ends as failed. */
async function failed(input: RentalInput, s: RentalState, compensations: Compensation[], f: Failure, rt: RentalRuntime): Promise<EjectResult> {
  let refundedMinor = 0;
  for (const undo of compensations) refundedMinor += ((await undo()) as { refundedMinor?: number } | undefined)?.refundedMinor ?? 0;
  const refunded = refundedMinor > 0;
  s.phase = 'failed';
  s.paidMinor = 0;
  await rt.db.rentalFailed({ rentalId: input.rentalId, code: f.code, reason: f.reason, at: Date.now(), refunded });
  return { ok: false, code: f.code, reason: f.reason, refunded, ...(f.shortfallMinor !== undefined ? { shortfallMinor: f.shortfallMinor } : {}) };
}

/** What a failure of the eject phase means for the rider. */
function failureOf(err: unknown): Failure {
  const shortfall = shortfallOf(err);
  if (shortfall !== undefined)
    return { code: 'INSUFFICIENT_BALANCE', reason: 'not enough points and wallet balance for the package', shortfallMinor: shortfall };
  if (isCancellation(err)) return { code: 'CANCELLED', reason: 'cancelled by an operator' };
  return { code: 'EJECT_FAILED', reason: attentionReason(err) };
}

/**
 * Pre-payment takes the package price, then the kiosk is told to eject. The refund is registered
 * before the charge, and any failure — no ack in time, a refused eject, a shortfall, a broker that
 * cannot be reached, an operator cancelling the run in the Temporal UI — runs it (in a scope that a
 * cancellation cannot stop) and the rental fails: no charge without an ejection. A compensation
 * that itself cannot run parks the rental as `needs_attention`.
 */
export async function ejectPowerBank(
  input: RentalInput,
  s: RentalState,
  send: ReturnType<typeof createDeviceCommander>,
  guard: Guard,
  rt: RentalRuntime,
): Promise<EjectResult> {
  if (!rt.has(RENTAL_PATCHES.compensateEveryEjectFailure)) return ejectPowerBankBeforeCompensatingEveryFailure(input, s, send);
  const compensations: Compensation[] = [];
  let failure: Failure;
  let cancelled: unknown;
  try {
    if (input.paymentModel === 'pre_payment') {
      compensations.unshift(refundPrePayment(input, rt));
      await chargePrePayment(input, s, rt);
    }
    const outcome = await send('kiosk', input.stationSn, 'eject', { slot: input.slot }, input.ejectTimeoutMs, input.userId);
    if (outcome.status === 'timeout' && (await ejectedWithoutAck(input, rt.db))) outcome.status = 'acked';
    if (outcome.status === 'acked') return await guard('eject-record', () => ejected(input, s, outcome.ack, rt));
    failure = { code: outcome.status === 'timeout' ? 'DEVICE_TIMEOUT' : 'DEVICE_ERROR', reason: outcome.error ?? outcome.status };
  } catch (err) {
    if (err instanceof AttentionResolved) throw err;
    failure = failureOf(err);
    if (isCancellation(err)) cancelled = err;
  }
  const result = await CancellationScope.nonCancellable(() => guard('eject-compensation', () => failed(input, s, compensations, failure, rt)));
  if (cancelled) {
    s.eject = result; // the start API's `eject` update answers with the compensated failure before the run ends cancelled
    await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
    throw cancelled;
  }
  return result;
}

/** Rental Status notification of the eject outcome; sent after the start API has its answer. */
export async function notifyEjectOutcome(input: RentalInput, result: EjectResult, rt: RentalRuntime): Promise<void> {
  const at = Date.now();
  const notification = result.ok ? messages.ejected(input, result.slot, result.dueAt) : messages.failed(input, result.reason, result.refunded);
  await rt.db.notifyRental({ event: { rentalId: input.rentalId, type: 'notified', key: `notified:${result.ok ? 'ejected' : 'failed'}`, at }, notification });
}
