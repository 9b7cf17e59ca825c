import type { Execute } from '../../../kernel/sql';

/**
 * Extension points of the user lifecycle for the other contexts.
 *
 * - `onUserRegistered` runs INSIDE the registration transaction, after the user row is written:
 *   the ledger attaches here to open the wallet and points accounts (and the signup bonus) so a
 *   user never exists without them. A listener that throws aborts the registration.
 * - `accountErasureSteps` run inside the erasure transaction: contexts holding personal data
 *   (profile, KYC, notifications) null or anonymise theirs. Ledger rows stay (they point at the
 *   anonymised user row).
 */
export interface UserRegisteredEvent {
  userId: string;
  referralCode: string | null;
}
export type UserRegisteredListener = (event: UserRegisteredEvent, tx: Execute) => Promise<void>;
export type AccountErasureStep = (userId: string, tx: Execute) => Promise<void>;

const registeredListeners: UserRegisteredListener[] = [];
const erasureSteps: AccountErasureStep[] = [];

export function addUserRegisteredListener(listener: UserRegisteredListener): void {
  registeredListeners.push(listener);
}

/** The hook the ledger attaches to; called by AccountService.register inside its transaction. */
export async function onUserRegistered(userId: string, tx: Execute, referralCode: string | null = null): Promise<void> {
  for (const listener of registeredListeners) await listener({ userId, referralCode }, tx);
}

export function addAccountErasureStep(step: AccountErasureStep): void {
  erasureSteps.push(step);
}

export async function runAccountErasureSteps(userId: string, tx: Execute): Promise<void> {
  for (const step of erasureSteps) await step(userId, tx);
}
