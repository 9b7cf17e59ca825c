import type { Execute } from '../../../kernel/sql';

/** Something that keeps an account open: an active rental, an unpaid due, ... */
export interface ClosureBlocker {
  code: string;
  message: string;
  count: number;
}

export type ClosureCheck = (userId: string, tx: Execute) => Promise<ClosureBlocker | null>;

/**
 * Decides whether an account may be erased. The contexts that own obligations register their
 * exact rules (rentals: an open rental or an unpaid due, the rentals module's rentalClosureChecks, wired by src/workers).
 */
export const AccountClosureGuard = {
  checks: [] as ClosureCheck[],

  register(check: ClosureCheck): () => void {
    this.checks.push(check);
    return () => {
      this.checks = this.checks.filter((c) => c !== check);
    };
  },

  async blockers(userId: string, tx: Execute): Promise<ClosureBlocker[]> {
    const found: ClosureBlocker[] = [];
    for (const check of this.checks) {
      const blocker = await check(userId, tx);
      if (blocker) found.push(blocker);
    }
    return found;
  },
};
