import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/client';
import { AppError } from '../../../kernel/errors';
import { formatMinor } from '../../../kernel/money';

/** The ApplicationFailure somewhere in an update's failure chain (update → activity → application). */
export function applicationFailureIn(err: unknown): ApplicationFailure | undefined {
  for (let e = err as { cause?: unknown } | undefined, hops = 0; e && hops < 6; e = e.cause as typeof e, hops++) {
    if (e instanceof ApplicationFailure) return e;
  }
  return undefined;
}

export function insufficient(shortfallMinor: number, extra: Record<string, unknown> = {}): AppError {
  return new AppError('INSUFFICIENT_BALANCE', 'Not enough points and wallet balance: top up and try again', 402, {
    shortfall: formatMinor(shortfallMinor),
    shortfall_minor: shortfallMinor,
    ...extra,
  });
}

/** Maps what a rental workflow refused (or a closed workflow) to the API's error. */
export function rentalUpdateError(err: unknown, rentalId: string): Error {
  if (err instanceof AppError) return err;
  const closed = err instanceof WorkflowNotFoundError || /workflow execution already completed|not found/i.test((err as Error)?.message ?? '');
  const failure = applicationFailureIn(err);
  switch (failure?.type) {
    case 'InsufficientBalance': {
      const d = (failure.details?.[0] ?? {}) as { shortfall_minor?: number; needed_minor?: number };
      return insufficient(d.shortfall_minor ?? d.needed_minor ?? 0, { rental_id: rentalId });
    }
    case 'RentalOverdue':
      return new AppError('RENTAL_OVERDUE', failure.message, 409, { rental_id: rentalId });
    case 'RentalNotActive':
      return new AppError('RENTAL_NOT_ACTIVE', failure.message, 409, { rental_id: rentalId });
    case 'CancelWindowPassed':
      return new AppError('CANCEL_WINDOW_PASSED', failure.message, 409, { rental_id: rentalId });
    case 'InvalidExtension':
      return new AppError('VALIDATION_ERROR', failure.message, 400);
    default:
  }
  if (closed) return new AppError('RENTAL_NOT_ACTIVE', 'The rental has ended', 409, { rental_id: rentalId });
  return err as Error;
}
