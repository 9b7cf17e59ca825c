import { z } from 'zod';
import { STATION_ISSUE_STATUSES, StationEngagementService } from '../../../modules/stations';
import { paginated } from '../../http/pagination';
import type { ApiDeps } from '../../deps';
import type { SurfaceRoutes } from '../../http/route';
import type { SurfaceModule } from '../types';
import { IssueQuery, IssueReportSchema, ReportBody, SnParams, StationFilterQuery, StationSummarySchema } from './schemas/station.schemas';

const Favorite = z.object({ sn: z.string(), is_favorite: z.boolean(), favorited_at: z.string().optional(), removed: z.boolean().optional() });

const tags = ['Stations'];
const admin = ['Admin: Stations'];

/** The services the routes below call. */
function ctxOf(deps: ApiDeps) {
  const svc = new StationEngagementService({ orm: deps.orm, minBatteryPercent: deps.config.RENTAL_MIN_BATTERY_PERCENT });
  return { svc };
}
type Ctx = ReturnType<typeof ctxOf>;

/** The user's own lists (favorites, reports) and adding or removing a favorite. */
function myStationRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { svc }: Ctx) {
  routes.route({
    method: 'get',
    path: '/stations/favorites',
    tags,
    auth: 'user',
    query: StationFilterQuery,
    response: paginated(StationSummarySchema.extend({ favorited_at: z.string() })),
    summary: 'My favorite stations with live availability, most recently added first',
    handler: ({ user, query }) => svc.favorites(user!.id, query),
  });
  routes.route({
    method: 'get',
    path: '/stations/my-reports',
    tags,
    auth: 'user',
    query: IssueQuery.extend({ sn: z.string().max(64).optional() }),
    response: paginated(IssueReportSchema),
    summary: 'Issues I reported, newest first',
    handler: ({ user, query }) => svc.reports({ userId: user!.id, status: query.status, type: query.type, sn: query.sn }, query),
  });
  routes.route({
    method: 'post',
    path: '/stations/:sn/favorite',
    tags,
    auth: 'user',
    params: SnParams,
    response: Favorite,
    summary: 'Add a station to my favorites (idempotent)',
    errors: { 404: 'Unknown station' },
    handler: ({ user, params }) => svc.favorite(user!.id, params.sn),
  });
  routes.route({
    method: 'delete',
    path: '/stations/:sn/favorite',
    tags,
    auth: 'user',
    params: SnParams,
    response: Favorite,
    summary: 'Remove a station from my favorites (idempotent; removed says whether it was one)',
    errors: { 404: 'Unknown station' },
    handler: ({ user, params }) => svc.unfavorite(user!.id, params.sn),
  });
}

/** Report a problem with a station, and read a station's reports. */
function stationIssueRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { svc }: Ctx) {
  routes.route({
    method: 'post',
    path: '/stations/:sn/report-issue',
    tags,
    auth: 'user',
    params: SnParams,
    body: ReportBody,
    response: IssueReportSchema,
    status: 201,
    summary: 'Report a problem: offline, damaged, dirty, location_wrong, no_power_bank or other',
    errors: { 404: 'Unknown station', 409: 'Same open report within the last hour (DUPLICATE_REPORT)' },
    handler: ({ user, params, body }) => svc.report(user!.id, params.sn, body),
  });
  routes.route({
    method: 'get',
    path: '/stations/:sn/issues',
    tags,
    auth: 'user',
    params: SnParams,
    query: IssueQuery,
    response: paginated(IssueReportSchema),
    summary: 'Issues reported for a station (reporters are not disclosed)',
    errors: { 404: 'Unknown station' },
    handler: ({ user, params, query }) => svc.stationIssues(params.sn, user!.id, query),
  });
}

/** Admins triage the issue reports. */
function adminIssueRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { svc }: Ctx) {
  routes.route({
    method: 'get',
    path: '/admin/station-issues',
    tags: admin,
    auth: 'admin',
    query: IssueQuery.extend({ sn: z.string().max(64).optional() }),
    response: paginated(IssueReportSchema),
    summary: 'All station issue reports (filters: status, type, sn)',
    handler: ({ query }) => svc.reports({ status: query.status, type: query.type, sn: query.sn }, query),
  });
  routes.route({
    method: 'patch',
    path: '/admin/station-issues/:id',
    tags: admin,
    auth: 'admin',
    params: z.object({ id: z.uuid() }),
    body: z.object({ status: z.enum(STATION_ISSUE_STATUSES), resolution_note: z.string().trim().max(500).nullable().optional() }).strict(),
    response: IssueReportSchema,
    summary: 'Acknowledge, resolve or dismiss a report',
    errors: { 404: 'Unknown report' },
    handler: ({ params, body }) => svc.updateReport(params.id, body),
  });
}

/** Seed 001 Station features: favorites and issue reports; admins triage the reports. */
export const stationFeatureRoutes: SurfaceModule = (routes, deps) => {
  const ctx = ctxOf(deps);
  myStationRoutes(routes, deps, ctx);
  stationIssueRoutes(routes, deps, ctx);
  adminIssueRoutes(routes, deps, ctx);
};
