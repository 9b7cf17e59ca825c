import { z } from 'zod';

/**
 * The console's desk summaries (issue 17) count what waits for a person and name since when the
 * oldest of it waits: one shape for every product's `GET <mount>/admin/summary`.
 */
export const DeskWaiting = z.object({
  count: z.number().int(),
  /** When the oldest of them began to wait; null when none. */
  oldest_at: z.string().nullable(),
});
