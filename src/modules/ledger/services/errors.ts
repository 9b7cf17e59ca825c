import { AppError } from '../../../kernel/errors';

export const LedgerErrors = {
  insufficient: (details: unknown) => new AppError('INSUFFICIENT_BALANCE', 'Not enough balance for this payment', 402, details),
  keyReused: (key: string) => new AppError('IDEMPOTENCY_KEY_REUSED', `Idempotency key ${key} was already used for a different movement`, 409),
};
