import { z } from 'zod';
import { Instant } from '../../http/query';
import { compareVersions, VERSION_PATTERN, PLATFORMS, COUNTRIES, AppInfoService } from '../../../modules/engagement';
import { PaginationQuery, paginated, QueryBool } from '../../http/pagination';
import type { ApiDeps } from '../../deps';
import type { SurfaceRoutes } from '../../http/route';
import type { SurfaceModule } from '../types';

const version = z.string().regex(VERSION_PATTERN, 'A version like 1.2.0');
export const AppVersionSchema = z
  .object({
    platform: z.enum(PLATFORMS),
    latest_version: z.string(),
    minimum_version: z.string(),
    store_url: z.string().nullable(),
    release_notes: z.string().nullable(),
    updated_at: z.string(),
    current_version: z.string().optional(),
    update_required: z.boolean().optional().openapi({ description: "The caller's version is below the minimum: block the app until it updates" }),
    update_available: z.boolean().optional().openapi({ description: 'A newer version exists: offer the update' }),
  })
  .openapi('AppVersion');
const BannerSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    subtitle: z.string().nullable(),
    image_url: z.string(),
    redirect_url: z.string().nullable(),
    sort_order: z.number().int(),
    active: z.boolean(),
    starts_at: z.string().nullable(),
    ends_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Banner');
const CountrySchema = z.object({ code: z.string(), iso3: z.string(), name: z.string(), dial_code: z.string(), flag: z.string() }).openapi('Country');
const url = z
  .string()
  .regex(/^https?:\/\/\S+$/, 'An http(s) URL')
  .max(1024);
const when = Instant.nullable();
const BannerBody = z
  .object({
    title: z.string().trim().min(1).max(160),
    subtitle: z.string().max(255).nullable().optional(),
    image_url: url,
    redirect_url: z.string().max(1024).nullable().optional().openapi({ description: 'A web URL or an app deep link' }),
    sort_order: z.number().int().min(0).max(10_000).optional(),
    active: z.boolean().optional(),
    starts_at: when.optional(),
    ends_at: when.optional(),
  })
  .strict();
const Deleted = z.object({ id: z.string(), deleted: z.literal(true) });

const tags = ['App'];
const admin = ['Admin: App'];

/** The services the routes below call. */
function ctxOf(deps: ApiDeps) {
  const app = new AppInfoService({ orm: deps.orm });
  return { app };
}
type Ctx = ReturnType<typeof ctxOf>;

/** What the app reads at start: version check, banners, countries. */
function publicAppRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { app }: Ctx) {
  routes.route({
    method: 'get',
    path: '/app/version',
    tags,
    summary: 'Latest and minimum app version; with a version, whether the caller must or may update (per platform without platform)',
    query: z.object({ platform: z.enum(PLATFORMS).optional(), version: version.optional() }),
    response: z.union([AppVersionSchema, z.object({ results: z.array(AppVersionSchema) })]),
    handler: ({ query }) => (query.platform ? app.version(query.platform, query.version) : app.versions(query.version)),
  });
  routes.route({
    method: 'get',
    path: '/app/banners',
    tags,
    query: PaginationQuery,
    response: paginated(BannerSchema),
    summary: 'Active promotional banners inside their date window, in display order',
    handler: ({ query }) => app.activeBanners(query),
  });
  routes.route({
    method: 'get',
    path: '/app/countries',
    tags,
    summary: 'Every country with ISO codes, dialing code and flag (the full list, not paginated)',
    description:
      'A fixed reference list of about 250 entries, returned whole so the phone-number picker needs one call; `search` filters by name, code or dialing code.',
    query: z.object({ search: z.string().trim().min(1).max(60).optional() }),
    response: z.object({ results: z.array(CountrySchema), count: z.number().int(), default_country: z.string() }),
    handler: ({ query }) => {
      const s = query.search?.toLowerCase();
      const results = s
        ? COUNTRIES.filter(
            (c) => c.name.toLowerCase().includes(s) || c.code.toLowerCase() === s || c.iso3.toLowerCase() === s || c.dial_code.includes(s.replace(/^\+?/, '+')),
          )
        : COUNTRIES;
      return { results, count: results.length, default_country: 'NP' };
    },
  });
}

/** Admins set the latest and minimum version of each platform. */
function adminVersionRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { app }: Ctx) {
  routes.route({
    method: 'put',
    path: '/admin/app/version/:platform',
    tags: admin,
    auth: 'admin',
    params: z.object({ platform: z.enum(PLATFORMS) }),
    body: z
      .object({
        latest_version: version,
        minimum_version: version,
        store_url: url.max(512).nullable().optional(),
        release_notes: z.string().max(5000).nullable().optional(),
      })
      .strict()
      .refine((b) => compareVersions(b.minimum_version, b.latest_version) <= 0, {
        message: 'minimum_version cannot be above latest_version',
        path: ['minimum_version'],
      }),
    response: AppVersionSchema,
    summary: 'Set the latest and minimum version of a platform',
    handler: ({ params, body }) => app.setVersion(params.platform, body),
  });
}

/** Admins list, create, change and delete banners. */
function adminBannerRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { app }: Ctx) {
  routes.route({
    method: 'get',
    path: '/admin/banners',
    tags: admin,
    auth: 'admin',
    query: PaginationQuery.extend({ active: QueryBool.optional() }),
    response: paginated(BannerSchema),
    summary: 'All banners, including inactive and scheduled ones',
    handler: ({ query }) => app.allBanners(query),
  });
  routes.route({
    method: 'post',
    path: '/admin/banners',
    tags: admin,
    auth: 'admin',
    body: BannerBody,
    response: BannerSchema,
    status: 201,
    summary: 'Create a banner',
    handler: ({ body }) => app.saveBanner(body),
  });
  routes.route({
    method: 'put',
    path: '/admin/banners/:id',
    tags: admin,
    auth: 'admin',
    params: z.object({ id: z.uuid() }),
    body: BannerBody.partial(),
    response: BannerSchema,
    summary: 'Change a banner',
    errors: { 404: 'Unknown banner' },
    handler: ({ params, body }) => app.saveBanner(body, params.id),
  });
  routes.route({
    method: 'delete',
    path: '/admin/banners/:id',
    tags: admin,
    auth: 'admin',
    params: z.object({ id: z.uuid() }),
    response: Deleted,
    summary: 'Delete a banner',
    errors: { 404: 'Unknown banner' },
    handler: ({ params }) => app.deleteBanner(params.id),
  });
}

/** Seed 001 App features: version check, banners, countries; admin edits of versions and banners. */
export const appInfoRoutes: SurfaceModule = (routes, deps) => {
  const ctx = ctxOf(deps);
  publicAppRoutes(routes, deps, ctx);
  adminVersionRoutes(routes, deps, ctx);
  adminBannerRoutes(routes, deps, ctx);
};
