import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EVENT_TYPES = temporal.api.enums.v1.EventType as unknown as Record<number, string>;

/** What one run cost the Temporal server: its history events, workflow tasks and the commands among them. */
export interface HistoryShape {
  events: number;
  workflowTasks: number;
  activities: number;
  localActivities: number;
  timers: number;
  signals: number;
  updates: number;
  upserts: number;
  patches: number;
}

/** The event's type as a name, whether the history came from the server (enum numbers) or from JSON (names). */
export function typeName(e: HistoryEvent): string {
  const t = e.eventType as unknown;
  return typeof t === 'number' ? EVENT_TYPES[t] : String(t);
}

/** Counts a closed run's history: one WORKFLOW_TASK_COMPLETED per workflow task, one MARKER per local activity or patch. */
export function historyShape(events: HistoryEvent[]): HistoryShape {
  const count = (type: string) => events.filter((e) => typeName(e) === `EVENT_TYPE_${type}`).length;
  const markers = (name: string) => events.filter((e) => e.markerRecordedEventAttributes?.markerName === name).length;
  return {
    events: events.length,
    workflowTasks: count('WORKFLOW_TASK_COMPLETED'),
    activities: count('ACTIVITY_TASK_SCHEDULED'),
    localActivities: markers('core_local_activity'),
    timers: count('TIMER_STARTED'),
    signals: count('WORKFLOW_EXECUTION_SIGNALED'),
    updates: count('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'),
    upserts: count('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES'),
    patches: markers('core_patch'),
  };
}

export const describeShape = (s: HistoryShape) =>
  `${s.events} events in ${s.workflowTasks} workflow tasks: ${s.activities} activities, ${s.localActivities} local activities, ${s.timers} timers, ${s.signals} signals, ${s.updates} updates, ${s.upserts} search-attribute upserts, ${s.patches} patch markers`;
