import { z } from 'zod';
import { Instant } from '../../http/query';
import { BroadcastService } from '../../../modules/engagement';
import type { SurfaceModule } from '../types';

const When = Instant.or(z.iso.date());

const BroadcastBody = z
  .object({
    broadcast_id: z.string().uuid().openapi({ description: 'Chosen by the caller: sending the same id again starts nothing new' }),
    title: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(2000),
    segment: z
      .object({ registered_from: When.optional(), registered_to: When.optional() })
      .strict()
      .optional()
      .openapi({ description: 'Only users registered in this period; omit for all active users' }),
  })
  .openapi('Broadcast');

const BroadcastState = z
  .object({
    broadcast_id: z.string(),
    workflow_id: z.string(),
    title: z.string(),
    segment: z.record(z.string(), z.unknown()),
    status: z.enum(['running', 'completed']),
    delivered: z.number().int(),
    batches: z.number().int(),
    created_by: z.string(),
    created_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .openapi('BroadcastState');

/** Seed 001 Admin › System Management › Broadcast: a notification to every user (or a segment), sent by a workflow in batches. */
export const adminBroadcastRoutes: SurfaceModule = (routes, deps) => {
  const broadcasts = new BroadcastService({
    orm: deps.orm,
    temporal: deps.temporal,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    batchSize: deps.config.BROADCAST_BATCH_SIZE,
    batchesPerRun: deps.config.BROADCAST_BATCHES_PER_RUN,
  });

  routes.route({
    method: 'post',
    path: '/admin/system/broadcast',
    summary:
      'Sends an in-app notification, and a push to their registered devices, to all active users or a segment; runs as the `broadcast:<id>` workflow in batches',
    description: 'Answers 202 at once with the progress so far; the same broadcast_id again returns the same broadcast (409 if it names another message).',
    tags: ['Admin: System'],
    auth: 'admin',
    body: BroadcastBody,
    response: BroadcastState,
    status: 202,
    errors: { 409: 'The broadcast id was used for another message (BROADCAST_ID_REUSED)' },
    audit: { target: 'broadcast' },
    handler: ({ body, user }) => broadcasts.start(user!.id, body),
  });

  routes.route({
    method: 'get',
    path: '/admin/system/broadcast/:id',
    summary: "A broadcast's progress: users reached, batches, status",
    tags: ['Admin: System'],
    auth: 'admin',
    params: z.object({ id: z.string().uuid() }),
    response: BroadcastState,
    errors: { 404: 'Unknown broadcast' },
    handler: ({ params }) => broadcasts.get(params.id),
  });
};
