import { ActivityFailure, ApplicationFailure, condition, defineUpdate, isCancellation, setHandler } from '@temporalio/workflow';
import { setBusinessStatus } from './business-status';

/**
 * `needs_attention`: the named state of a workflow that cannot go on by itself. Activities retry
 * infrastructure errors without a cap (a database or broker that is down comes back); what reaches
 * a workflow is a typed, final error. The business ones (a shortfall, a refused refund) the
 * workflow handles; any other (a data error, a bug) parks the run here instead of failing it: the
 * row says `needs_attention` with the reason, BusinessStatus says so in the Temporal UI, and an
 * admin decides through the `attention` update: `retry` the step (after fixing the cause) or
 * `resolve` it by hand (the workflow ends the way its module defines).
 */

export type AttentionAction = 'retry' | 'resolve';
export interface AttentionRequest {
  action: AttentionAction;
  by: string;
  note?: string;
}

/** The admin's decision on a parked run; refused (before it reaches history) when the run waits for none. */
export const attentionUpdate = defineUpdate<{ accepted: true; action: AttentionAction }, [AttentionRequest]>('attention');

/** The two activities of a module that parks its runs: record the named state on the row, and put the row back before a retry. */
export interface AttentionHooks {
  mark(input: { reason: string; step: string }): Promise<void>;
  clear(): Promise<void>;
}

/** Thrown out of a guarded step when an admin resolved it by hand. */
export class AttentionResolved extends Error {
  constructor(readonly request: AttentionRequest) {
    super(`resolved by ${request.by}${request.note ? `: ${request.note}` : ''}`);
    this.name = 'AttentionResolved';
  }
}

/** The failure a parked run reports: the root cause's type and message. */
export function attentionReason(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  const type = cause instanceof ApplicationFailure && cause.type ? `${cause.type}: ` : '';
  return `${type}${(cause as Error)?.message ?? String(cause)}`.slice(0, 500);
}

export type Guard = <T>(step: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Registers the `attention` update and returns a guard for the run's steps. A guarded step that
 * fails with an error `isExpected` does not claim (business errors, cancellation) is parked: marked,
 * then retried or resolved as the admin says. `resumeStatus` is the BusinessStatus to go back to.
 */
export function createAttentionGuard(
  hooks: AttentionHooks,
  opts: {
    isExpected: (err: unknown) => boolean;
    resumeStatus: () => string;
    /** A workflow that parks only from some version on passes its `patched()` check here; evaluated at the failure. */
    enabled?: () => boolean;
  },
): Guard {
  let waiting = false;
  let decision: AttentionRequest | undefined;
  setHandler(
    attentionUpdate,
    (req) => {
      decision = req;
      return { accepted: true, action: req.action };
    },
    {
      validator: (req) => {
        if (!waiting || decision) throw ApplicationFailure.nonRetryable('this run is not waiting for attention', 'NotNeedingAttention');
        if (req?.action !== 'retry' && req?.action !== 'resolve')
          throw ApplicationFailure.nonRetryable('action must be retry or resolve', 'BadAttentionRequest');
      },
    },
  );
  return async function guard<T>(step: string, fn: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (isCancellation(err) || opts.isExpected(err) || (opts.enabled && !opts.enabled())) throw err;
        setBusinessStatus('needs_attention');
        await hooks.mark({ reason: attentionReason(err), step });
        waiting = true;
        await condition(() => decision !== undefined);
        const req = decision!;
        waiting = false;
        decision = undefined;
        if (req.action === 'resolve') throw new AttentionResolved(req);
        await hooks.clear();
        setBusinessStatus(opts.resumeStatus());
      }
    }
  };
}
