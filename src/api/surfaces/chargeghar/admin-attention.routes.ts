import { z } from 'zod';
import type { SurfaceModule } from '../types';

const ParkedRun = z
  .object({
    kind: z.string().openapi({ description: 'rental, payment_intent, refund, water_payment or water_otp' }),
    id: z.string().openapi({ description: 'The rental, intent or refund id, or the water transactionReference' }),
    workflow_id: z.string().openapi({ description: 'Its workflow in the Temporal UI' }),
    reason: z.string().openapi({ description: 'The error that stopped it: its type and message' }),
    step: z.string().openapi({ description: 'The step that failed (retry runs it again)' }),
    since: z.string().nullable(),
  })
  .openapi('ParkedRun');

/**
 * The admin desk of runs that cannot go on by themselves (`needs_attention`): infrastructure
 * errors are retried without end, so what lands here is a data error or a bug that a person fixes
 * first, then retries, or settles by hand and resolves.
 */
export const adminAttentionRoutes: SurfaceModule = (routes, deps) => {
  routes.route({
    method: 'get',
    path: '/admin/attention',
    tags: ['Admin: Attention'],
    auth: 'admin',
    response: z.object({ runs: z.array(ParkedRun) }),
    summary: 'Rentals, top-up intents, refunds and water runs parked as needs_attention, oldest first',
    description:
      'A run is parked when a step failed with an error that retrying cannot fix (a data error, a bug). The row says `needs_attention` and the workflow waits, its BusinessStatus search attribute `needs_attention`.',
    handler: async () => ({ runs: await deps.attention.list() }),
  });

  routes.route({
    method: 'post',
    path: '/admin/attention/:kind/:id',
    tags: ['Admin: Attention'],
    auth: 'admin-step-up',
    // Water runs (seed 002) are named by their transactionReference (WS-...).
    params: z.object({ kind: z.string().max(32), id: z.union([z.uuid(), z.string().regex(/^WS-\d{10,16}-[A-Z0-9]{8}$/)]) }),
    body: z.object({
      action: z.enum(['retry', 'resolve']).openapi({ description: 'retry: run the failed step again (after fixing its cause); resolve: close it by hand' }),
      note: z.string().trim().min(1).max(500).optional(),
    }),
    response: z.object({ accepted: z.literal(true), action: z.enum(['retry', 'resolve']) }),
    summary: "Sends the admin's decision to a parked run; answers once the run took it",
    description:
      'A resolved rental ends `resolved` (no money moves); a resolved payment run ends the way its module defines. Who decided and the note are recorded on the row and its timeline.',
    errors: {
      404: 'No parked run of this kind and id',
      409: 'The run is not waiting for a decision (NOT_NEEDING_ATTENTION), or its workflow is gone and only resolve is possible (RUN_GONE)',
    },
    handler: ({ params, body, user }) => deps.attention.act(params.kind, params.id, { action: body.action, by: user!.id, note: body.note }),
  });
};
