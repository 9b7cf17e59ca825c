/** A kiosk clock this far ahead of ours is wrong, not early. */
const MAX_AHEAD_MS = 5 * 60_000;
/** A report this old is a clock reset (power loss), not a late delivery. */
const MAX_BEHIND_MS = 24 * 3600_000;

/**
 * The time a kiosk stamped on a report (`ts`, ms since the epoch), when it is plausible: not more
 * than 5 minutes ahead of ours, not more than a day behind. Anything else is null: the report is
 * then taken without ordering it against the bay's others.
 */
export function kioskTime(ts: unknown, now = Date.now()): Date | null {
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return null;
  if (ts > now + MAX_AHEAD_MS || ts < now - MAX_BEHIND_MS) return null;
  return new Date(ts);
}
