import type { WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';

/**
 * What a workflow's history says about time, in the server's clock (on the time-skipping server,
 * skipped time): how each timer that fired was set, and when it fired. Proof that a wait was a
 * durable timer of a given length, without measuring the test's own wall clock.
 */
export async function timersFired(handle: WorkflowHandle): Promise<{ durationMs: number; firedAfterMs: number }[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const started = new Map(events.filter((e) => e.timerStartedEventAttributes).map((e) => [String(e.eventId), e]));
  return events
    .filter((e) => e.timerFiredEventAttributes)
    .map((fired) => {
      const start = started.get(String(fired.timerFiredEventAttributes!.startedEventId));
      if (!start) throw new Error(`timer fired without its start event in ${handle.workflowId}`);
      return {
        durationMs: tsToMs(start.timerStartedEventAttributes!.startToFireTimeout),
        firedAfterMs: tsToMs(fired.eventTime) - tsToMs(start.eventTime),
      };
    });
}

/** Server time from a closed workflow's first event to its last. */
export async function serverTimeSpent(handle: WorkflowHandle): Promise<number> {
  const events = (await handle.fetchHistory()).events ?? [];
  return tsToMs(events[events.length - 1].eventTime) - tsToMs(events[0].eventTime);
}
