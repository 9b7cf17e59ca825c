import { patched } from '@temporalio/workflow';
import type { createDeviceCommander } from '../../../kernel/devices/commander';
import { rentalCurrency } from '../rules/currency';
import { MINUTE } from '../rules/rules';
import { db, money } from './acts';
import { rentalKeys, type EjectFailureCode, type EjectResult, type RentalInput } from './definitions';
import { ejectedWithoutAck, shortfallOf, type Compensation } from './eject-common';
import { RENTAL_PATCHES } from './patches';
import type { RentalState } from './state';

/** Pre-payment: the package price is taken before the eject; its refund is the compensation of a failed eject. */
async function chargePrePayment(input: RentalInput, s: RentalState, compensations: Compensation[]): Promise<void> {
  const key = rentalKeys.charge(input.rentalId);
  await money.chargeRental({
    key,
    userId: input.userId,
    amountMinor: input.pkg.priceMinor,
    currency: rentalCurrency(input.pkg),
    mode: input.paymentMode,
    type: 'rental_charge',
    description: `Rental: ${input.pkg.name}`,
    metadata: { rental_id: input.rentalId, package_id: input.pkg.id },
  });
  compensations.unshift(() =>
    db.refundRentalCharges({
      rentalId: input.rentalId,
      userId: input.userId,
      currency: rentalCurrency(input.pkg),
      keys: [key],
      reason: 'the power bank was not ejected',
    }),
  );
  s.chargeKeys.push(key);
  s.paidMinor = input.pkg.priceMinor;
}

/** The kiosk acked: the rental runs from now. The ack may name the bay and power bank it released. */
async function ejected(input: RentalInput, s: RentalState, ack: Record<string, unknown> | undefined): Promise<EjectResult> {
  const slot = typeof ack?.slot === 'number' ? ack.slot : input.slot;
  const powerBankSn = typeof ack?.powerBankSn === 'string' ? ack.powerBankSn : input.powerBankSn;
  s.startedAt = Date.now();
  s.dueAt = s.startedAt + input.pkg.durationMinutes * MINUTE;
  s.phase = 'active';
  await db.rentalEjected({
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

/** No ejection: undo what was taken, and the rental ends as failed. */
async function failed(
  input: RentalInput,
  s: RentalState,
  compensations: Compensation[],
  f: { code: EjectFailureCode; reason: string; shortfallMinor?: number },
): Promise<EjectResult> {
  for (const undo of compensations) await undo();
  const refunded = compensations.length > 0;
  s.phase = 'failed';
  s.paidMinor = 0;
  const at = Date.now();
  await db.rentalFailed({ rentalId: input.rentalId, code: f.code, reason: f.reason, at, refunded });
  return { ok: false, code: f.code, reason: f.reason, refunded, ...(f.shortfallMinor !== undefined ? { shortfallMinor: f.shortfallMinor } : {}) };
}

/**
 * The eject as rentals started before `compensate-every-eject-failure` run it (they replay it):
 * pre-payment takes the package price, then the kiosk is told to eject. No ack in time, a refused
 * eject or a shortfall runs the compensations (refund) and the rental fails; any other error fails
 * the workflow.
 */
export async function ejectPowerBankBeforeCompensatingEveryFailure(
  input: RentalInput,
  s: RentalState,
  send: ReturnType<typeof createDeviceCommander>,
): Promise<EjectResult> {
  const compensations: Compensation[] = [];
  try {
    if (input.paymentModel === 'pre_payment') await chargePrePayment(input, s, compensations);
    const outcome = await send('kiosk', input.stationSn, 'eject', { slot: input.slot }, input.ejectTimeoutMs, input.userId);
    if (outcome.status === 'timeout' && patched(RENTAL_PATCHES.reconcileLostEjectAck) && (await ejectedWithoutAck(input))) {
      outcome.status = 'acked';
    }
    if (outcome.status !== 'acked') {
      return await failed(input, s, compensations, {
        code: outcome.status === 'timeout' ? 'DEVICE_TIMEOUT' : 'DEVICE_ERROR',
        reason: outcome.error ?? outcome.status,
      });
    }
    return await ejected(input, s, outcome.ack);
  } catch (err) {
    const shortfall = shortfallOf(err);
    if (shortfall === undefined) throw err;
    return failed(input, s, compensations, {
      code: 'INSUFFICIENT_BALANCE',
      reason: 'not enough points and wallet balance for the package',
      shortfallMinor: shortfall,
    });
  }
}
