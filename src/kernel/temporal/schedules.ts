import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction, type Workflow } from '@temporalio/client';

export interface SweepSchedule<W extends Workflow> {
  scheduleId: string;
  everySeconds: number;
  /** The workflow each run starts (its id is reused: overlap SKIP never runs two at once). */
  action: Omit<ScheduleOptionsStartWorkflowAction<W>, 'type'>;
  note: string;
  /** Create it paused (only `trigger()` runs it). Applies on creation only; an existing schedule keeps its state. */
  paused?: boolean;
}

/**
 * Creates a sweeper schedule, or brings an existing one to the current interval and action (a
 * worker restart after a config change), keeping its paused state. Idempotent: every worker of the
 * queue calls it at start. Overlap SKIP: a slow sweep is never run twice at once.
 */
export async function ensureSweepSchedule<W extends Workflow>(client: Client, s: SweepSchedule<W>): Promise<'created' | 'updated'> {
  const spec = { intervals: [{ every: `${s.everySeconds}s` as const }] };
  const action = { type: 'startWorkflow', ...s.action } as ScheduleOptionsStartWorkflowAction<W>;
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' as const };
  try {
    await client.schedule.create({ scheduleId: s.scheduleId, spec, action, policies, state: { paused: s.paused ?? false, note: s.note } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(s.scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  return 'updated';
}
