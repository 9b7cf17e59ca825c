import { ForeignKeyConstraintViolationException, type MikroORM } from '@mikro-orm/postgresql';
import { AppError, Errors } from '../../../kernel/errors';
import { offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { StationIssueReport } from '../entities';
import type { StationIssueStatus, StationIssueType } from '../entities/station-issue-report.entity';
import { assertOwnUploads } from '../../engagement';
import { slotCounts, STATION_COLUMNS, stationDto, stationWhere, type StationFilters } from './station-query.service';
import { isoOrNull } from '../../../kernel/present';

export const DUPLICATE_REPORT_WINDOW_MINUTES = 60;

const userMissing = () => new AppError('USER_NOT_FOUND', 'No account for this token', 404);

export function reportDto(r: Record<string, unknown>, viewerId?: string) {
  return {
    id: String(r.id),
    type: String(r.type) as StationIssueType,
    description: (r.description as string) ?? null,
    image_urls: (r.image_urls as string[]) ?? [],
    status: String(r.status) as StationIssueStatus,
    resolution_note: (r.resolution_note as string) ?? null,
    resolved_at: isoOrNull(r.resolved_at),
    created_at: new Date(r.created_at as string).toISOString(),
    station: { sn: String(r.station_sn), name: String(r.station_name) },
    ...(viewerId !== undefined ? { reported_by_me: r.user_id === viewerId } : {}),
  };
}

/** Favorites and issue reports: what users do with stations. */
export class StationEngagementService {
  constructor(private readonly deps: { orm: MikroORM; minBatteryPercent: number }) {}

  private async stationId(sn: string): Promise<string> {
    const [row] = await this.deps.orm.em.getConnection().execute<{ id: string }[]>(`select id from stations where sn = ? and status = 'active'`, [sn]);
    if (!row) throw new AppError('NOT_FOUND', `Station ${sn} not found`, 404);
    return row.id;
  }

  /** Idempotent: favoriting twice keeps the first time. */
  async favorite(userId: string, sn: string) {
    const stationId = await this.stationId(sn);
    try {
      const [row] = await this.deps.orm.em
        .getConnection()
        .execute<{ created_at: Date }[]>(
          `insert into station_favorites (user_id, station_id) values (?, ?) on conflict (user_id, station_id) do update set user_id = excluded.user_id returning created_at`,
          [userId, stationId],
        );
      return { sn, is_favorite: true, favorited_at: new Date(row.created_at).toISOString() };
    } catch (err) {
      if (err instanceof ForeignKeyConstraintViolationException) throw userMissing();
      throw err;
    }
  }

  async unfavorite(userId: string, sn: string) {
    const stationId = await this.stationId(sn);
    const res = await this.deps.orm.em
      .getConnection()
      .execute(`delete from station_favorites where user_id = ? and station_id = ?`, [userId, stationId], 'run');
    return { sn, is_favorite: false, removed: (res as { affectedRows?: number }).affectedRows! > 0 };
  }

  async favorites(userId: string, q: Pagination & StationFilters) {
    const where = ['f.user_id = ?'];
    const params: unknown[] = [userId];
    stationWhere(q, where, params);
    const from = `from station_favorites f join stations s on s.id = f.station_id ${slotCounts(this.deps.minBatteryPercent)} where ${where.join(' and ')}`;
    const conn = this.deps.orm.em.getConnection();
    const [{ total }] = await conn.execute<{ total: number }[]>(`select count(*)::int as total ${from}`, params);
    const rows = await conn.execute<Record<string, unknown>[]>(
      `select ${STATION_COLUMNS}, f.created_at as favorited_at ${from} order by f.created_at desc, s.sn limit ? offset ?`,
      [...params, q.page_size, offsetOf(q)],
    );
    return pageOf(
      rows.map((r) => ({ ...stationDto(r), favorited_at: new Date(r.favorited_at as string).toISOString() })),
      total,
      q,
    );
  }

  /** One open report per user, station and type within the hour; images must be the user's uploads. */
  async report(userId: string, sn: string, input: { type: StationIssueType; description?: string | null; image_urls?: string[] }) {
    const stationId = await this.stationId(sn);
    const em = this.deps.orm.em.fork();
    const urls = input.image_urls ?? [];
    await assertOwnUploads(em, userId, Object.fromEntries(urls.map((u, i) => [`body.image_urls.${i}`, u])), ['image']);
    const since = new Date(Date.now() - DUPLICATE_REPORT_WINDOW_MINUTES * 60_000);
    if (await em.count(StationIssueReport, { userId, stationId, type: input.type, status: 'open', createdAt: { $gte: since } })) {
      throw new AppError('DUPLICATE_REPORT', `You already reported "${input.type}" for this station in the last hour`, 409);
    }
    const r = Object.assign(new StationIssueReport(), { stationId, userId, type: input.type, description: input.description ?? null, imageUrls: urls });
    try {
      await em.persistAndFlush(r);
    } catch (err) {
      if (err instanceof ForeignKeyConstraintViolationException) throw userMissing();
      throw err;
    }
    return (await this.reports({ id: r.id }, { page: 1, page_size: 1 }, userId)).results[0];
  }

  /** Reports filtered by any of: reporter, station, id, status, type (newest first). */
  async reports(
    f: { userId?: string; stationId?: string; sn?: string; id?: string; status?: StationIssueStatus; type?: StationIssueType },
    q: Pagination,
    viewerId?: string,
  ) {
    const where: string[] = ['1=1'];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      where.push(sql);
      params.push(v);
    };
    if (f.userId) add('r.user_id = ?', f.userId);
    if (f.stationId) add('r.station_id = ?', f.stationId);
    if (f.sn) add('s.sn = ?', f.sn);
    if (f.id) add('r.id = ?', f.id);
    if (f.status) add('r.status = ?', f.status);
    if (f.type) add('r.type = ?', f.type);
    const from = `from station_issue_reports r join stations s on s.id = r.station_id where ${where.join(' and ')}`;
    const conn = this.deps.orm.em.getConnection();
    const [{ total }] = await conn.execute<{ total: number }[]>(`select count(*)::int as total ${from}`, params);
    const rows = await conn.execute<Record<string, unknown>[]>(
      `select r.*, s.sn as station_sn, s.name as station_name ${from} order by r.created_at desc, r.id limit ? offset ?`,
      [...params, q.page_size, offsetOf(q)],
    );
    return pageOf(
      rows.map((r) => reportDto(r, viewerId)),
      total,
      q,
    );
  }

  async stationIssues(sn: string, viewerId: string, q: Pagination & { status?: StationIssueStatus; type?: StationIssueType }) {
    const stationId = await this.stationId(sn);
    return this.reports({ stationId, status: q.status, type: q.type }, q, viewerId);
  }

  async updateReport(id: string, input: { status: StationIssueStatus; resolution_note?: string | null }) {
    const em = this.deps.orm.em.fork();
    const r = await em.findOne(StationIssueReport, { id });
    if (!r) throw Errors.notFound('Issue report');
    r.status = input.status;
    if (input.resolution_note !== undefined) r.resolutionNote = input.resolution_note;
    r.resolvedAt = input.status === 'resolved' || input.status === 'dismissed' ? new Date() : null;
    await em.flush();
    return (await this.reports({ id }, { page: 1, page_size: 1 })).results[0];
  }
}
