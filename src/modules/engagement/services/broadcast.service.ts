import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { AppError, Errors } from '../../../kernel/errors';
import { isoOrNull } from '../../../kernel/present';
import { executor } from '../../../kernel/sql';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import type { BroadcastSegment } from '../activities/broadcast.activities';
import { broadcastWorkflowId, type BroadcastWorkflow } from '../workflows/definitions';

export interface BroadcastRequest {
  broadcast_id: string;
  title: string;
  body: string;
  segment?: BroadcastSegment;
}

const present = (r: Record<string, unknown>) => ({
  broadcast_id: String(r.id),
  workflow_id: broadcastWorkflowId(String(r.id)),
  title: String(r.title),
  segment: (r.segment as BroadcastSegment) ?? {},
  status: String(r.status),
  delivered: Number(r.delivered),
  batches: Number(r.batches),
  created_by: String(r.created_by),
  created_at: isoOrNull(r.created_at)!,
  completed_at: isoOrNull(r.completed_at),
});

/**
 * Admin broadcasts: the row (its id is the admin's broadcast id) and the `broadcast:<id>`
 * workflow. The same id again returns the same broadcast and starts nothing (409 if it named
 * another message); progress is the row, which every batch moves.
 */
export class BroadcastService {
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; taskQueue: string; batchSize?: number; batchesPerRun?: number }) {}

  async start(adminId: string, req: BroadcastRequest) {
    const sql = executor(this.deps.orm);
    await sql(`insert into broadcasts (id, title, body, segment, created_by) values (?, ?, ?, ?::jsonb, ?) on conflict (id) do nothing`, [
      req.broadcast_id,
      req.title,
      req.body,
      JSON.stringify(req.segment ?? {}),
      adminId,
    ]);
    const [row] = await sql(`select * from broadcasts where id = ?`, [req.broadcast_id]);
    if (row.title !== req.title || row.body !== req.body) throw new AppError('BROADCAST_ID_REUSED', 'This broadcast id was used for another message', 409);
    try {
      await this.deps.temporal.workflow.start<BroadcastWorkflow>('broadcastWorkflow', {
        workflowId: broadcastWorkflowId(req.broadcast_id),
        taskQueue: this.deps.taskQueue,
        args: [{ broadcastId: req.broadcast_id, batchSize: this.deps.batchSize, batchesPerRun: this.deps.batchesPerRun }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: startAttributes({ status: 'running' }),
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return this.get(req.broadcast_id);
  }

  async get(id: string) {
    const [row] = await executor(this.deps.orm)(`select * from broadcasts where id = ?`, [id]);
    if (!row) throw Errors.notFound('Broadcast');
    return present(row);
  }
}
