import { PAISA_PER_POINT } from './points-rules';

export const PAYMENT_MODES = ['points_first', 'points_only', 'wallet_only'] as const;
export type PaymentMode = (typeof PAYMENT_MODES)[number];

export interface Breakdown {
  amountMinor: number;
  pointsUsed: number;
  pointsValueMinor: number;
  walletUsedMinor: number;
  shortfallMinor: number;
  sufficient: boolean;
}

/**
 * How a charge of `amountMinor` is paid from points and wallet. Points first uses whole points
 * worth at most the amount, the wallet pays the rest; points only may round up to a whole point.
 * A negative wallet (an unpaid due) contributes nothing.
 */
export function splitPayment(amountMinor: number, walletMinor: number, points: number, mode: PaymentMode): Breakdown {
  const wallet = Math.max(0, walletMinor);
  const pts = Math.max(0, points);
  let pointsUsed = 0;
  if (mode === 'points_first') pointsUsed = Math.min(pts, Math.floor(amountMinor / PAISA_PER_POINT));
  if (mode === 'points_only') pointsUsed = Math.min(pts, Math.ceil(amountMinor / PAISA_PER_POINT));
  const pointsValueMinor = Math.min(amountMinor, pointsUsed * PAISA_PER_POINT);
  const rest = amountMinor - pointsValueMinor;
  const walletUsedMinor = mode === 'points_only' ? 0 : Math.min(wallet, rest);
  const shortfallMinor = rest - walletUsedMinor;
  return { amountMinor, pointsUsed, pointsValueMinor, walletUsedMinor, shortfallMinor, sufficient: shortfallMinor === 0 };
}
