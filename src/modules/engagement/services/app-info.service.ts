import type { MikroORM } from '@mikro-orm/postgresql';
import { Errors } from '../../../kernel/errors';
import { offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { AppVersion, Banner } from '../entities';
import { versionVerdict } from '../rules/app-version-rules';
import type { Platform } from '../entities/app-version.entity';

export function versionDto(v: AppVersion, current?: string) {
  return {
    platform: v.platform,
    latest_version: v.latestVersion,
    minimum_version: v.minimumVersion,
    store_url: v.storeUrl ?? null,
    release_notes: v.releaseNotes ?? null,
    updated_at: v.updatedAt.toISOString(),
    ...(current ? { current_version: current, ...versionVerdict(current, v.latestVersion, v.minimumVersion) } : {}),
  };
}

export function bannerDto(b: Banner) {
  return {
    id: b.id,
    title: b.title,
    subtitle: b.subtitle ?? null,
    image_url: b.imageUrl,
    redirect_url: b.redirectUrl ?? null,
    sort_order: b.sortOrder,
    active: b.active,
    starts_at: b.startsAt?.toISOString() ?? null,
    ends_at: b.endsAt?.toISOString() ?? null,
    created_at: b.createdAt.toISOString(),
  };
}

export interface BannerInput {
  title: string;
  subtitle?: string | null;
  image_url: string;
  redirect_url?: string | null;
  sort_order?: number;
  active?: boolean;
  starts_at?: string | null;
  ends_at?: string | null;
}

/** App versions (update prompts) and home-screen banners. */
export class AppInfoService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  async version(platform: Platform, current?: string) {
    const v = await this.deps.orm.em.fork().findOne(AppVersion, { platform });
    if (!v) throw Errors.notFound(`App version for ${platform}`);
    return versionDto(v, current);
  }

  /** Every platform's versions; with `current`, each one's verdict for that version. */
  async versions(current?: string) {
    return { results: (await this.deps.orm.em.fork().find(AppVersion, {}, { orderBy: { platform: 'asc' } })).map((v) => versionDto(v, current)) };
  }

  async setVersion(platform: Platform, input: { latest_version: string; minimum_version: string; store_url?: string | null; release_notes?: string | null }) {
    const em = this.deps.orm.em.fork();
    const v = (await em.findOne(AppVersion, { platform })) ?? Object.assign(new AppVersion(), { platform });
    Object.assign(v, { latestVersion: input.latest_version, minimumVersion: input.minimum_version });
    if (input.store_url !== undefined) v.storeUrl = input.store_url;
    if (input.release_notes !== undefined) v.releaseNotes = input.release_notes;
    await em.persistAndFlush(v);
    return versionDto(v);
  }

  /** Active banners whose window contains now, by sort order. */
  async activeBanners(q: Pagination) {
    const now = new Date();
    const [rows, total] = await this.deps.orm.em.fork().findAndCount(
      Banner,
      {
        active: true,
        $and: [{ $or: [{ startsAt: null }, { startsAt: { $lte: now } }] }, { $or: [{ endsAt: null }, { endsAt: { $gt: now } }] }],
      },
      { orderBy: { sortOrder: 'asc', createdAt: 'desc' }, limit: q.page_size, offset: offsetOf(q) },
    );
    return pageOf(rows.map(bannerDto), total, q);
  }

  async allBanners(q: Pagination & { active?: boolean }) {
    const where = q.active === undefined ? {} : { active: q.active };
    const [rows, total] = await this.deps.orm.em
      .fork()
      .findAndCount(Banner, where, { orderBy: { sortOrder: 'asc', createdAt: 'desc' }, limit: q.page_size, offset: offsetOf(q) });
    return pageOf(rows.map(bannerDto), total, q);
  }

  async saveBanner(input: Partial<BannerInput>, id?: string) {
    const em = this.deps.orm.em.fork();
    const b = id ? await em.findOne(Banner, { id }) : new Banner();
    if (!b) throw Errors.notFound('Banner');
    const map: Record<string, keyof Banner> = {
      title: 'title',
      subtitle: 'subtitle',
      image_url: 'imageUrl',
      redirect_url: 'redirectUrl',
      sort_order: 'sortOrder',
      active: 'active',
    };
    for (const [k, prop] of Object.entries(map)) if (input[k as keyof BannerInput] !== undefined) Object.assign(b, { [prop]: input[k as keyof BannerInput] });
    if (input.starts_at !== undefined) b.startsAt = input.starts_at ? new Date(input.starts_at) : null;
    if (input.ends_at !== undefined) b.endsAt = input.ends_at ? new Date(input.ends_at) : null;
    if (b.startsAt && b.endsAt && b.endsAt <= b.startsAt) throw Errors.validation([{ field: 'body.ends_at', message: 'Must be after starts_at' }]);
    await em.persistAndFlush(b);
    return bannerDto(b);
  }

  async deleteBanner(id: string) {
    const n = await this.deps.orm.em.fork().nativeDelete(Banner, { id });
    if (!n) throw Errors.notFound('Banner');
    return { id, deleted: true as const };
  }
}
