import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { AppError, Errors } from '../errors';
import { attentionUpdate, type AttentionAction, type AttentionRequest } from './attention';

/**
 * The admin's side of `needs_attention` (./attention.ts): every module that parks runs offers an
 * `AttentionSource`; the composition root joins them into one desk behind
 * `GET /api/admin/attention` and `POST /api/admin/attention/{kind}/{id}`.
 */

/** A run parked as `needs_attention`, as the admin list shows it. */
export interface ParkedRun {
  kind: string;
  id: string;
  /** Where to find it in the Temporal UI. */
  workflow_id: string;
  reason: string;
  step: string;
  since: string | null;
}

export interface AttentionOutcome {
  accepted: true;
  action: AttentionAction;
}

/** One module's parked runs and the admin's decision on one of them. */
export interface AttentionSource {
  kinds: readonly string[];
  list(): Promise<ParkedRun[]>;
  act(kind: string, id: string, request: AttentionRequest): Promise<AttentionOutcome>;
}

/**
 * Sends the `attention` update and waits until the run took it. A run that does not exist (or has
 * closed) is `gone`, for the caller to settle; one not waiting for a decision is a 409.
 */
export async function sendAttention(temporal: Client, workflowId: string, request: AttentionRequest): Promise<AttentionOutcome | 'gone'> {
  try {
    return await temporal.workflow.getHandle(workflowId).executeUpdate(attentionUpdate, { args: [request] });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'gone';
    if (err instanceof WorkflowUpdateFailedError) {
      const message = (err.cause as Error | undefined)?.message ?? err.message;
      throw new AppError('NOT_NEEDING_ATTENTION', message, 409);
    }
    throw err;
  }
}

/** All sources as one: the list oldest first, each decision routed to the source of its kind. */
export function attentionDesk(sources: AttentionSource[]): AttentionSource {
  const byKind = new Map(sources.flatMap((s) => s.kinds.map((k) => [k, s] as const)));
  return {
    kinds: [...byKind.keys()],
    async list() {
      const runs = (await Promise.all(sources.map((s) => s.list()))).flat();
      return runs.sort((a, b) => (a.since ?? '').localeCompare(b.since ?? '') || a.id.localeCompare(b.id));
    },
    async act(kind, id, request) {
      const source = byKind.get(kind);
      if (!source) throw Errors.notFound('Parked run');
      return source.act(kind, id, request);
    },
  };
}
