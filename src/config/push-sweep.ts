import { z } from 'zod';

/**
 * The push sweeper (src/workers/push-sweep-schedule.ts): a Temporal Schedule that starts the
 * `notify:<id>` workflow of every push still `queued` after the grace period (its workflow was
 * never started: Temporal unreachable, or the process died between commit and dispatch).
 */
export const pushSweepConfigShape = {
  /** How often the sweep runs. */
  PUSH_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().positive().default(60),
  /** Only logs queued for longer than this are swept, so a push being dispatched right now is not raced. */
  PUSH_SWEEP_GRACE_SECONDS: z.coerce.number().int().min(0).default(60),
  /**
   * A push still queued this long after it was written is not sent any more (a "return within 15
   * minutes" hours late does harm): the sweep marks it `failed` with an `expired` error instead. The
   * in-app notification stays.
   */
  PUSH_SWEEP_MAX_AGE_MINUTES: z.coerce.number().int().positive().default(60),
  /** Logs read per batch (a run reads at most 10 batches). */
  PUSH_SWEEP_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** Admin broadcasts (`broadcast:<id>`): users a batch, and batches before a run continues as new. */
  BROADCAST_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  BROADCAST_BATCHES_PER_RUN: z.coerce.number().int().min(1).max(200).default(20),
};
