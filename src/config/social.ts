import { z } from 'zod';

/** Social features (seed 001): merged into the main config schema. */
export const socialConfigShape = {
  /** Points for a rental returned by its due time, on top of the completed-rental points; 0 turns the bonus off. */
  SOCIAL_TIMELY_RETURN_BONUS_POINTS: z.coerce.number().int().min(0).max(10_000).default(5),
};
