import type { Execute } from '../../../kernel/sql';

/** Raw SQL runner (inside a transaction or not). */
export type Run = Execute;

export interface TimelineEvent {
  rentalId: string;
  type: string;
  key: string;
  at: number;
  data?: Record<string, unknown>;
}

/** Adds a step to a rental's timeline once (`<rentalId>:<key>` is unique). */
export async function recordRentalEvent(q: Execute, e: TimelineEvent): Promise<void> {
  await q(`insert into rental_events (rental_id, type, dedupe_key, data, occurred_at) values (?, ?, ?, ?, ?) on conflict (dedupe_key) do nothing`, [
    e.rentalId,
    e.type,
    `${e.rentalId}:${e.key}`,
    e.data ? JSON.stringify(e.data) : null,
    new Date(e.at),
  ]);
}
