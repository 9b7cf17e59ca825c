import { ApplicationFailure, CancellationScope, condition, log, setHandler } from '@temporalio/workflow';
import { canAskCancel, cancelReturnDeadline, MINUTE } from '../rules/rules';
import {
  cancelUpdate,
  ejectUpdate,
  extendUpdate,
  rentalKeys,
  rentalStatusQuery,
  returnedSignal,
  type CancelResult,
  type ExtendRequest,
  type ExtendResult,
  type RentalInput,
  type ReturnEvent,
} from './definitions';
import { snapshot, type RentalState } from './state';
import { rentalCurrency } from '../rules/currency';
import { RENTAL_PATCHES } from './patches';
import type { RentalRuntime } from './runtime';

/** A kiosk clock further behind than this is not believed (a reset clock); the signal's own time is used. */
const MAX_REPORT_AGE_MS = 7 * 24 * 60 * MINUTE;

/**
 * When the power bank went back: the kiosk's own time, so a bridge or worker that was down does
 * not add fines; never later than now, never before the eject, and ignored when implausibly old.
 * Rentals started before `return-time-from-kiosk` count from the signal (they replay with it).
 */
function returnTime(e: ReturnEvent, s: RentalState, rt: RentalRuntime): number {
  const now = Date.now();
  if (!rt.has(RENTAL_PATCHES.returnTimeFromKiosk)) return now;
  const reported = e.reportedAt;
  if (typeof reported !== 'number' || !Number.isFinite(reported) || reported < now - MAX_REPORT_AGE_MS) return now;
  return Math.min(now, Math.max(reported, s.startedAt ?? reported));
}

/**
 * A return counts only for the power bank the rental was given (never one a kiosk named), and only
 * if the station that sent it (the bridge's topic serial) holds that power bank now: a return that
 * cannot be true changes nothing (the bridge records it for admins as `refused`).
 */
async function acceptReturnHeldByStation(input: RentalInput, s: RentalState, e: ReturnEvent, rt: RentalRuntime): Promise<void> {
  if (e.powerBankSn !== input.powerBankSn) return;
  const at = returnTime(e, s, rt);
  if (!(await rt.db.stationHoldsPowerBank({ stationSn: e.stationSn, powerBankSn: e.powerBankSn, rentalId: input.rentalId, eventId: e.eventId }))) {
    log.warn('return from a station that does not hold the power bank ignored', { rentalId: input.rentalId, stationSn: e.stationSn, eventId: e.eventId });
    return;
  }
  s.ret ??= { ...e, at };
}

/** Query, signal and updates of a rental; all share the workflow's state. */
export function registerRentalHandlers(input: RentalInput, s: RentalState, rt: RentalRuntime): void {
  setHandler(rentalStatusQuery, () => snapshot(input, s));

  setHandler(ejectUpdate, async () => {
    // Not interrupted by an operator's cancel: the compensated outcome is still the answer.
    await CancellationScope.nonCancellable(() => condition(() => s.eject !== undefined));
    return s.eject!;
  });

  // Idempotent: the first return of this power bank wins; duplicates and replays change nothing.
  setHandler(returnedSignal, async (e) => {
    if (s.ret) return;
    if (!rt.has(RENTAL_PATCHES.returnHeldByStation)) {
      const holding = s.eject?.ok ? s.eject.powerBankSn : input.powerBankSn;
      if (e.powerBankSn === holding) s.ret = { ...e, at: returnTime(e, s, rt) };
      return;
    }
    await acceptReturnHeldByStation(input, s, e, rt);
  });

  setHandler(extendUpdate, (req) => extendOnce(input, s, req, rt), {
    validator: (req) => {
      if (!(req.durationMinutes > 0) || !(req.priceMinor >= 0))
        throw ApplicationFailure.create({ type: 'InvalidExtension', message: 'An extension needs a positive duration' });
      if (s.phase === 'overdue')
        throw ApplicationFailure.create({ type: 'RentalOverdue', message: 'An overdue rental cannot be extended: return the power bank' });
      if (s.phase !== 'active' || s.ret) throw ApplicationFailure.create({ type: 'RentalNotActive', message: `The rental is ${s.ret ? 'returned' : s.phase}` });
    },
  });

  setHandler(cancelUpdate, () => cancel(input, s, rt), {
    validator: (_req) => {
      if (s.phase !== 'active' || s.ret || !s.startedAt)
        throw ApplicationFailure.create({ type: 'RentalNotActive', message: `The rental is ${s.ret ? 'returned' : s.phase}` });
      if (!canAskCancel(s.startedAt, Date.now(), input.rules)) {
        throw ApplicationFailure.create({
          type: 'CancelWindowPassed',
          message: `A rental can be cancelled only within ${input.rules.cancelWindowMinutes} minutes of the ejection; return the power bank to end it`,
        });
      }
    },
  });
}

/** A repeated extension without an Idempotency-Key (same package, within this window) is the same extension. */
const UNKEYED_EXTEND_WINDOW_MS = MINUTE;

/**
 * A client that retries an extension without an Idempotency-Key (a lost response, a double tap)
 * gets the first one's outcome instead of a second charge; a failed one may be asked again.
 */
function extendOnce(input: RentalInput, s: RentalState, req: ExtendRequest, rt: RentalRuntime): Promise<ExtendResult> {
  if (req.keyed || !rt.has(RENTAL_PATCHES.dedupeUnkeyedExtend)) return extend(input, s, req, rt);
  const previous = s.unkeyedExtends.get(req.id);
  if (previous && Date.now() - previous.at < UNKEYED_EXTEND_WINDOW_MS) return previous.result;
  const result = extend(input, s, req, rt);
  s.unkeyedExtends.set(req.id, { at: Date.now(), result });
  result.catch(() => s.unkeyedExtends.delete(req.id));
  return result;
}

/** Pays the package (pre-payment; post-payment pays at the return) and moves the due time. */
async function extend(input: RentalInput, s: RentalState, req: ExtendRequest, rt: RentalRuntime): Promise<ExtendResult> {
  s.busy++;
  try {
    const n = ++s.extendAttempts;
    let chargedMinor = 0;
    if (input.paymentModel === 'pre_payment') {
      const key = rentalKeys.extension(input.rentalId, n);
      await rt.money.chargeRental({
        key,
        userId: input.userId,
        amountMinor: req.priceMinor,
        currency: rentalCurrency(input.pkg),
        mode: input.paymentMode,
        type: 'rental_charge',
        description: `Rental extension: ${req.name}`,
        metadata: { rental_id: input.rentalId, package_id: req.id },
      });
      s.chargeKeys.push(key);
      s.paidMinor += req.priceMinor;
      chargedMinor = req.priceMinor;
    }
    s.extensions++;
    s.dueAt = s.dueAt! + req.durationMinutes * MINUTE;
    s.priceCapMinor += req.priceMinor;
    s.version++;
    await rt.db.rentalExtended({
      rentalId: input.rentalId,
      dueAt: s.dueAt,
      extensions: s.extensions,
      priceCapMinor: s.priceCapMinor,
      paidMinor: s.paidMinor,
      event: {
        rentalId: input.rentalId,
        type: 'extended',
        key: `extended:${n}`,
        at: Date.now(),
        data: { package_id: req.id, minutes: req.durationMinutes, charged_minor: chargedMinor, due_at: new Date(s.dueAt).toISOString() },
      },
    });
    return { dueAt: s.dueAt, extensions: s.extensions, chargedMinor, priceCapMinor: s.priceCapMinor };
  } finally {
    s.busy--;
  }
}

/** Marks the rental as cancelling; it ends free if the power bank is back before `returnBy`. */
async function cancel(input: RentalInput, s: RentalState, rt: RentalRuntime): Promise<CancelResult> {
  s.busy++;
  try {
    const askedAt = Date.now();
    s.cancel = { askedAt, returnBy: cancelReturnDeadline(askedAt, input.rules) };
    s.phase = 'cancelling';
    s.version++;
    await rt.db.rentalStatusChanged({
      rentalId: input.rentalId,
      status: 'cancelling',
      cancelRequestedAt: askedAt,
      event: {
        rentalId: input.rentalId,
        type: 'cancel_requested',
        key: 'cancel-requested',
        at: askedAt,
        data: { return_by: new Date(s.cancel.returnBy).toISOString() },
      },
    });
    return { status: 'cancelling', returnBy: s.cancel.returnBy };
  } finally {
    s.busy--;
  }
}
