import type { EjectResult, ExtendResult, RentalInput, RentalPhase, RentalSnapshot, ReturnEvent } from './definitions';
import type { Settlement } from '../rules/rules';

/** Everything the rental workflow knows; handlers and phases share it. */
export interface RentalState {
  phase: RentalPhase;
  startedAt?: number;
  dueAt?: number;
  /** Due time the Time Alert was sent for (an extension re-arms it). */
  alertedFor?: number;
  extensions: number;
  extendAttempts: number;
  priceCapMinor: number;
  paidMinor: number;
  /** Ledger keys of what was taken before or during the rental (refunded by a free cancel). */
  chargeKeys: string[];
  eject?: EjectResult;
  ret?: ReturnEvent & { at: number };
  cancel?: { askedAt: number; returnBy: number };
  settlement?: Settlement & { dueMinor: number };
  /** Bumped whenever deadlines change, to wake the timer loop. */
  version: number;
  /** Extend/cancel handlers in flight; the settlement waits for them. */
  busy: number;
  /** Extensions asked without an Idempotency-Key, by package: a repeat within a minute gets the same outcome. */
  unkeyedExtends: Map<string, { at: number; result: Promise<ExtendResult> }>;
}

export function initialState(input: RentalInput): RentalState {
  return {
    phase: 'ejecting',
    extensions: 0,
    extendAttempts: 0,
    priceCapMinor: input.pkg.priceMinor,
    paidMinor: 0,
    chargeKeys: [],
    version: 0,
    busy: 0,
    unkeyedExtends: new Map(),
  };
}

export function snapshot(input: RentalInput, s: RentalState): RentalSnapshot {
  return {
    rentalId: input.rentalId,
    phase: s.phase,
    startedAt: s.startedAt,
    dueAt: s.dueAt,
    extensions: s.extensions,
    paidMinor: s.paidMinor,
    eject: s.eject,
    settlement: s.settlement,
  };
}

export const isHolding = (s: RentalState) => s.phase === 'active' || s.phase === 'overdue' || s.phase === 'cancelling';
