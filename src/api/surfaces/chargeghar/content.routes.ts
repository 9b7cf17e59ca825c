import { z } from 'zod';
import { CONTENT_PAGES, AppInfoService, ContentService } from '../../../modules/engagement';
import { PaginationMeta, PaginationQuery, QueryBool } from '../../http/pagination';
import type { ApiDeps } from '../../deps';
import type { SurfaceRoutes } from '../../http/route';
import type { SurfaceModule } from '../types';
import { AppVersionSchema } from './app-info.routes';

const PageSchema = z
  .object({
    slug: z.enum(CONTENT_PAGES),
    title: z.string(),
    body: z.string().openapi({ description: 'Markdown' }),
    data: z.record(z.string(), z.unknown()),
    updated_at: z.string(),
  })
  .openapi('ContentPage');
const FaqSchema = z
  .object({
    id: z.string(),
    question: z.string(),
    answer: z.string(),
    category: z.string(),
    sort_order: z.number().int(),
    active: z.boolean(),
    updated_at: z.string(),
  })
  .openapi('FaqItem');
const FaqList = z.object({ results: z.array(FaqSchema), pagination: PaginationMeta, categories: z.array(z.string()) });
const FaqBody = z
  .object({
    question: z.string().trim().min(3).max(300),
    answer: z.string().trim().min(1).max(5000),
    category: z
      .string()
      .trim()
      .regex(/^[a-z0-9_-]{1,64}$/, 'lower-case words, digits, - or _')
      .optional(),
    sort_order: z.number().int().min(0).max(100_000).optional(),
    active: z.boolean().optional(),
  })
  .strict();
const FaqQuery = PaginationQuery.extend({ category: z.string().max(64).optional(), search: z.string().trim().min(1).max(100).optional() });
const IdParams = z.object({ id: z.uuid() });
const STATIC_PAGES = ['terms-of-service', 'privacy-policy', 'about', 'contact'] as const;

const tags = ['Content'];
const admin = ['Admin: Content'];

/** The services the routes below call. */
function ctxOf(deps: ApiDeps) {
  const content = new ContentService({ orm: deps.orm });
  const app = new AppInfoService({ orm: deps.orm });
  return { content, app };
}
type Ctx = ReturnType<typeof ctxOf>;

/** The public pages, the FAQ and the app-updates page. */
function publicContentRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { content, app }: Ctx) {
  for (const slug of STATIC_PAGES) {
    routes.route({
      method: 'get',
      path: `/content/${slug}`,
      tags,
      response: PageSchema,
      summary: `The ${slug.replace(/-/g, ' ')} page`,
      handler: () => content.page(slug),
    });
  }
  routes.route({
    method: 'get',
    path: '/content/faq',
    tags,
    query: FaqQuery,
    response: FaqList,
    summary: 'Frequently asked questions, by category and order',
    handler: ({ query }) => content.faq(query),
  });
  routes.route({
    method: 'get',
    path: '/content/app-updates',
    tags,
    response: PageSchema.extend({ versions: z.array(AppVersionSchema) }),
    summary: 'What is new in the app, with the current latest/minimum version per platform',
    handler: async () => ({ ...(await content.page('app-updates')), versions: (await app.versions()).results }),
  });
}

/** Admins list, add, change and delete FAQ items. */
function adminFaqRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { content }: Ctx) {
  routes.route({
    method: 'get',
    path: '/admin/content/faq',
    tags: admin,
    auth: 'admin',
    query: FaqQuery.extend({ include_inactive: QueryBool.default(true) }),
    response: FaqList,
    summary: 'FAQ items including inactive ones',
    handler: ({ query }) => content.faq(query),
  });
  routes.route({
    method: 'post',
    path: '/admin/content/faq',
    tags: admin,
    auth: 'admin',
    body: FaqBody,
    response: FaqSchema,
    status: 201,
    summary: 'Add a FAQ item',
    handler: ({ body }) => content.saveFaq(body),
  });
  routes.route({
    method: 'put',
    path: '/admin/content/faq/:id',
    tags: admin,
    auth: 'admin',
    params: IdParams,
    body: FaqBody.partial(),
    response: FaqSchema,
    summary: 'Change a FAQ item',
    errors: { 404: 'Unknown FAQ item' },
    handler: ({ params, body }) => content.saveFaq(body, params.id),
  });
  routes.route({
    method: 'delete',
    path: '/admin/content/faq/:id',
    tags: admin,
    auth: 'admin',
    params: IdParams,
    response: z.object({ id: z.string(), deleted: z.literal(true) }),
    summary: 'Delete a FAQ item',
    errors: { 404: 'Unknown FAQ item' },
    handler: ({ params }) => content.deleteFaq(params.id),
  });
}

/** Admins edit the content pages. */
function adminPageRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { content }: Ctx) {
  routes.route({
    method: 'put',
    path: '/admin/content/:page',
    tags: admin,
    auth: 'admin',
    params: z.object({ page: z.enum(CONTENT_PAGES) }),
    body: z
      .object({
        title: z.string().trim().min(1).max(160).optional(),
        body: z.string().max(100_000).optional().openapi({ description: 'Markdown' }),
        data: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Structured fields, e.g. contact email/phone/address' }),
      })
      .strict()
      .refine((b) => Object.keys(b).length > 0, 'Give title, body or data')
      .openapi({ minProperties: 1 }),
    response: PageSchema,
    summary: 'Edit a content page (FAQ items have their own endpoints)',
    handler: ({ params, body, user }) => content.savePage(params.page, body, user!.id),
  });
}

/** Seed 001 Content Management: public pages and FAQ, edited by admins. */
export const contentRoutes: SurfaceModule = (routes, deps) => {
  const ctx = ctxOf(deps);
  publicContentRoutes(routes, deps, ctx);
  adminFaqRoutes(routes, deps, ctx);
  adminPageRoutes(routes, deps, ctx);
};
