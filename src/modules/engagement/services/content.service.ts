import type { MikroORM } from '@mikro-orm/postgresql';
import { Errors } from '../../../kernel/errors';
import { likeContains, offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { ContentPage, FaqItem } from '../entities';
import type { ContentPageSlug } from '../entities/content-page.entity';

export function pageDto(p: ContentPage) {
  return { slug: p.slug, title: p.title, body: p.body, data: p.data, updated_at: p.updatedAt.toISOString() };
}

export function faqDto(f: FaqItem) {
  return {
    id: f.id,
    question: f.question,
    answer: f.answer,
    category: f.category,
    sort_order: f.sortOrder,
    active: f.active,
    updated_at: f.updatedAt.toISOString(),
  };
}

export interface FaqInput {
  question: string;
  answer: string;
  category?: string;
  sort_order?: number;
  active?: boolean;
}

/** Static pages (terms, privacy, about, contact, app updates) and FAQ items, editable by admins. */
export class ContentService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  async page(slug: ContentPageSlug) {
    const p = await this.deps.orm.em.fork().findOne(ContentPage, { slug });
    if (!p) throw Errors.notFound(`Page ${slug}`);
    return pageDto(p);
  }

  async savePage(slug: ContentPageSlug, input: { title?: string; body?: string; data?: Record<string, unknown> }, adminId: string) {
    const em = this.deps.orm.em.fork();
    const p = (await em.findOne(ContentPage, { slug })) ?? Object.assign(new ContentPage(), { slug, title: slug, body: '' });
    if (input.title !== undefined) p.title = input.title;
    if (input.body !== undefined) p.body = input.body;
    if (input.data !== undefined) p.data = input.data;
    p.updatedBy = adminId;
    p.updatedAt = new Date();
    await em.persistAndFlush(p);
    return pageDto(p);
  }

  async faq(q: Pagination & { category?: string; search?: string; include_inactive?: boolean }) {
    const where: Record<string, unknown> = {};
    if (!q.include_inactive) where.active = true;
    if (q.category) where.category = q.category;
    if (q.search) where.$or = [{ question: { $ilike: likeContains(q.search) } }, { answer: { $ilike: likeContains(q.search) } }];
    const em = this.deps.orm.em.fork();
    const [rows, total] = await em.findAndCount(FaqItem, where, {
      orderBy: { category: 'asc', sortOrder: 'asc', createdAt: 'asc' },
      limit: q.page_size,
      offset: offsetOf(q),
    });
    const cats = await em.getConnection().execute<{ category: string }[]>(`select distinct category from faq_items where active order by category`);
    return { ...pageOf(rows.map(faqDto), total, q), categories: cats.map((c) => c.category) };
  }

  async saveFaq(input: Partial<FaqInput>, id?: string) {
    const em = this.deps.orm.em.fork();
    const f = id ? await em.findOne(FaqItem, { id }) : new FaqItem();
    if (!f) throw Errors.notFound('FAQ item');
    if (input.question !== undefined) f.question = input.question;
    if (input.answer !== undefined) f.answer = input.answer;
    if (input.category !== undefined) f.category = input.category;
    if (input.sort_order !== undefined) f.sortOrder = input.sort_order;
    if (input.active !== undefined) f.active = input.active;
    await em.persistAndFlush(f);
    return faqDto(f);
  }

  async deleteFaq(id: string) {
    const n = await this.deps.orm.em.fork().nativeDelete(FaqItem, { id });
    if (!n) throw Errors.notFound('FAQ item');
    return { id, deleted: true as const };
  }
}
