/** How an amount in whole shillings becomes liters (seed 002 `POST /payments/preview`). */
export type Rounding = 'nearest' | 'up' | 'down';

export interface PriceRules {
  pricePerLiter: number;
  minAmount: number;
  maxAmount: number;
  rounding: Rounding;
  currency: string;
}

export interface Preview {
  requestedAmount: number;
  amount: number;
  liters: number;
  pricePerLiter: number;
  currency: string;
  roundingStrategy: Rounding;
  difference: number;
}

const ROUND: Record<Rounding, (x: number) => number> = { nearest: Math.round, up: Math.ceil, down: Math.floor };

/** The whole liters an amount buys under the rounding strategy, the amount charged for them and the difference; undefined outside the limits. */
export function previewAmount(requested: number, r: PriceRules): Preview | undefined {
  if (!Number.isFinite(requested) || requested < r.minAmount || requested > r.maxAmount) return undefined;
  const liters = ROUND[r.rounding](requested / r.pricePerLiter);
  if (liters < 1) return undefined;
  const amount = liters * r.pricePerLiter;
  return {
    requestedAmount: requested,
    amount,
    liters,
    pricePerLiter: r.pricePerLiter,
    currency: r.currency,
    roundingStrategy: r.rounding,
    difference: amount - requested,
  };
}

/** Whole shillings → cents (the ledger's minor units). */
export const toMinor = (amount: number) => Math.round(amount * 100);

/** `254XXXXXXXXX`: a Kenyan MSISDN as Daraja takes it. */
export const KENYAN_MSISDN = /^254[17]\d{8}$/;

/** Shows the country code and the last three digits only (status answers to anonymous callers). */
export const maskPhone = (phone: string | null | undefined) => (phone ? `${phone.slice(0, 3)}******${phone.slice(-3)}` : null);
