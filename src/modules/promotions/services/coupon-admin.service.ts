import type { MikroORM } from '@mikro-orm/postgresql';
import { Errors } from '../../../kernel/errors';
import { likeContains, offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { executor, inTransaction, isUniqueViolation, type Execute } from '../../../kernel/sql';
import { CouponErrors, couponState, normalizeCouponCode, type CouponState } from '../rules/coupon-rules';
import { couponFacts, presentCoupon, type CouponRow } from './coupon-rows';

export interface CouponInput {
  code: string;
  title: string;
  points: number;
  starts_at?: string | null;
  expires_at: string;
  active?: boolean;
  total_limit?: number | null;
  per_user_limit?: number;
}
export type CouponPatch = Partial<Omit<CouponInput, 'code'>>;

export interface CouponListQuery extends Pagination {
  status?: CouponState;
  search?: string;
}

/** The SQL of each state, the same order as couponState(). */
const STATE_SQL: Record<CouponState, string> = {
  inactive: `not c.active`,
  not_started: `c.active and c.starts_at > now()`,
  expired: `c.active and coalesce(c.starts_at <= now(), true) and c.expires_at <= now()`,
  exhausted: `c.active and coalesce(c.starts_at <= now(), true) and c.expires_at > now() and c.total_limit is not null and c.used_count >= c.total_limit`,
  usable: `c.active and coalesce(c.starts_at <= now(), true) and c.expires_at > now() and (c.total_limit is null or c.used_count < c.total_limit)`,
};

const STATS = `(select count(distinct user_id)::int from coupon_redemptions r where r.coupon_id = c.id) as users,
  (select coalesce(sum(points), 0)::int from coupon_redemptions r where r.coupon_id = c.id) as points_awarded`;

type StatsRow = CouponRow & { users: number; points_awarded: number };

/** Coupons for admins: only a super admin issues or changes them (the route decides who may call). */
export class CouponAdminService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  private present(r: StatsRow) {
    return presentCoupon(r, { users: Number(r.users ?? 0), points_awarded: Number(r.points_awarded ?? 0) }, couponState(couponFacts(r), new Date()));
  }

  async create(adminId: string, input: CouponInput) {
    try {
      const [row] = await executor(this.deps.orm)(
        `insert into coupons (id, code, title, points, starts_at, expires_at, active, total_limit, per_user_limit, created_by)
         values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?) returning *, 0 as users, 0 as points_awarded`,
        [
          normalizeCouponCode(input.code),
          input.title,
          input.points,
          input.starts_at ?? null,
          input.expires_at,
          input.active ?? true,
          input.total_limit ?? null,
          input.per_user_limit ?? 1,
          adminId,
        ],
      );
      return this.present(row);
    } catch (err) {
      if (isUniqueViolation(err, 'coupons_code_unique')) throw CouponErrors.codeTaken();
      throw err;
    }
  }

  async get(id: string, tx?: Execute) {
    const q = tx ?? executor(this.deps.orm);
    const [row] = await q(`select c.*, ${STATS} from coupons c where c.id = ?`, [id]);
    if (!row) throw Errors.notFound('Coupon');
    return this.present(row);
  }

  async list(q: CouponListQuery) {
    const where = ['1=1'];
    const params: unknown[] = [];
    if (q.status) where.push(STATE_SQL[q.status]);
    if (q.search) {
      where.push(`(c.code ilike ? or c.title ilike ?)`);
      params.push(likeContains(q.search), likeContains(q.search));
    }
    const sql = executor(this.deps.orm);
    const [{ total }] = await sql(`select count(*)::int as total from coupons c where ${where.join(' and ')}`, params);
    const rows = await sql(`select c.*, ${STATS} from coupons c where ${where.join(' and ')} order by c.created_at desc, c.id limit ? offset ?`, [
      ...params,
      q.page_size,
      offsetOf(q),
    ]);
    return pageOf(
      rows.map((r: StatsRow) => this.present(r)),
      total,
      q,
    );
  }

  /** Changes a coupon; a total limit below what was used already is refused (409). */
  async update(id: string, patch: CouponPatch) {
    return inTransaction(this.deps.orm, async (tx) => {
      const [row] = (await tx(`select * from coupons where id = ? for update`, [id])) as CouponRow[];
      if (!row) throw Errors.notFound('Coupon');
      if (patch.total_limit != null && patch.total_limit < Number(row.used_count)) throw CouponErrors.limitBelowUsage(Number(row.used_count));
      const columns: Record<string, unknown> = {
        title: patch.title,
        points: patch.points,
        starts_at: patch.starts_at,
        expires_at: patch.expires_at,
        active: patch.active,
        total_limit: patch.total_limit,
        per_user_limit: patch.per_user_limit,
      };
      const set = Object.entries(columns).filter(([, v]) => v !== undefined);
      if (set.length)
        await tx(`update coupons set ${set.map(([k]) => `${k} = ?`).join(', ')}, updated_at = now() where id = ?`, [...set.map(([, v]) => v), id]);
      return this.get(id, tx);
    });
  }
}
