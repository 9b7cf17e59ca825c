import type { EntityManager } from '@mikro-orm/postgresql';

export interface WalletSummary {
  currency: 'NPR';
  /** Major units with two decimals, e.g. "120.50". */
  balance: string;
  balance_minor: number;
  points: number;
}

/**
 * Reads a user's NPR wallet balance and points. The ledger (payments issue) supplies the real one
 * through ApiDeps.wallet; until then every wallet is empty.
 */
export type WalletReader = (em: EntityManager, userId: string) => Promise<WalletSummary>;

export const zeroWalletReader: WalletReader = async () => ({ currency: 'NPR', balance: '0.00', balance_minor: 0, points: 0 });

/** 12050 → "120.50" (integers only, no floating point). */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
