import type { Execute } from '../../../kernel/sql';

/** The stations module's part of erasing a person: favorites go; issue reports stay, unattributed. */
export async function eraseStationData(userId: string, tx: Execute): Promise<void> {
  await tx('delete from station_favorites where user_id = ?', [userId]);
  await tx('update station_issue_reports set user_id = null where user_id = ?', [userId]);
}

/** A user's favorites and issue reports, for their usage numbers. */
export async function stationUsage(tx: Execute, userId: string): Promise<{ favorites: number; issue_reports: number }> {
  const [row] = await tx(
    `select (select count(*)::int from station_favorites where user_id = ?) as favorites,
            (select count(*)::int from station_issue_reports where user_id = ?) as reports`,
    [userId, userId],
  );
  return { favorites: row.favorites, issue_reports: row.reports };
}
