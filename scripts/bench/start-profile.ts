import type { temporal } from '@temporalio/proto';
import { percentile } from './stats';
import { typeName } from './history-shape';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** One recorded start: when the POST left, when its answer came back (wall clock), and the run's history. */
export interface StartSample {
  sentAt: number;
  answeredAt: number;
  events: HistoryEvent[];
}

/** Where a start's time goes, between the POST and its answer, in the order it happens. */
const SEGMENTS = [
  ['api before the start', 'the API: session, prerequisites, reservation, then the update-with-start call reaching the server'],
  ['to the first task', 'the server queues the first workflow task, the worker picks it up'],
  ['first task', 'charge and eject command (local activities) in the first workflow task'],
  ['kiosk ack', "the kiosk's eject delay, its ack over MQTT and the bridge's signal"],
  ['to the second task', 'the signal to the worker picking up the second workflow task'],
  ['second task', "the ejected row and the rider's push (local activities), then the update's answer"],
  ['answer', 'the update result back to the API, the row read and the HTTP answer'],
] as const;

const at = (e: HistoryEvent | undefined) => (e?.eventTime ? Number(e.eventTime.seconds ?? 0) * 1000 + (e.eventTime.nanos ?? 0) / 1e6 : NaN);

/** The seven segments of one start, in ms (NaN where the history has no such event: a run that failed its eject). */
function segmentsOf({ sentAt, answeredAt, events }: StartSample): number[] {
  const of = (type: string) => events.filter((e) => typeName(e) === `EVENT_TYPE_${type}`);
  const [tasksStarted, tasksCompleted] = [of('WORKFLOW_TASK_STARTED'), of('WORKFLOW_TASK_COMPLETED')];
  const points = [
    sentAt,
    at(events[0]),
    at(tasksStarted[0]),
    at(tasksCompleted[0]),
    at(of('WORKFLOW_EXECUTION_SIGNALED')[0]),
    at(tasksStarted[1]),
    at(tasksCompleted[1]),
    answeredAt,
  ];
  return SEGMENTS.map((_, i) => Math.max(0, points[i + 1] - points[i]));
}

/** The median of each segment over the samples, as lines of the report. */
export function describeStartProfile(samples: StartSample[]): string[] {
  const all = samples.map(segmentsOf);
  return SEGMENTS.map(([name, what], i) => {
    const values = all.map((s) => s[i]).filter((v) => Number.isFinite(v));
    return `    ${name.padEnd(20)} p50 ${percentile(values, 50).toFixed(0).padStart(5)} ms, p90 ${percentile(values, 90).toFixed(0).padStart(5)} ms  (${what})`;
  });
}
