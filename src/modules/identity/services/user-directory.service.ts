import type { MikroORM } from '@mikro-orm/postgresql';
import { estimatedPageOf, likeContains, listTotal, offsetOf, type Pagination } from '../../../kernel/paging';
import { executor } from '../../../kernel/sql';

export interface UserListQuery extends Pagination {
  role?: string;
  status?: string;
  kyc_status?: 'not_submitted' | 'pending' | 'approved' | 'rejected';
  profile_complete?: boolean;
  search?: string;
  created_from?: Date | string;
  created_to?: Date | string;
  ordering: 'newest' | 'oldest' | 'username';
}

const COMPLETE = `(p.full_name is not null and p.full_name <> '' and p.date_of_birth is not null and p.gender is not null
  and p.address_line is not null and p.address_line <> '' and p.city is not null and p.city <> '')`;
const ORDER = { newest: 'u.created_at desc, u.id', oldest: 'u.created_at asc, u.id', username: 'u.username asc nulls last, u.id' } as const;

/**
 * The admin user list's page statement (its last two parameters: page_size and offset) and the `from` its
 * total is counted over: users alone unless a filter reads the profile or KYC state (issue 16: the count
 * joined every user's profile and latest KYC submission).
 */
export function userListQuery(q: UserListQuery) {
  const where: string[] = ['1=1'];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (q.role) add('u.role = ?', q.role);
  if (q.status) add('u.status = ?', q.status);
  if (q.kyc_status) add(`coalesce(k.status, 'not_submitted') = ?`, q.kyc_status);
  if (q.profile_complete !== undefined) add(q.profile_complete ? COMPLETE : `not coalesce(${COMPLETE}, false)`);
  if (q.search) add(`(u.phone ilike ? or u.email ilike ? or u.username ilike ? or p.full_name ilike ?)`, ...Array(4).fill(likeContains(q.search)));
  if (q.created_from) add('u.created_at >= ?', q.created_from);
  if (q.created_to) add('u.created_at < ?', q.created_to);
  const joins = `left join user_profiles p on p.user_id = u.id
      left join lateral (select status from kyc_submissions where user_id = u.id order by created_at desc limit 1) k on true`;
  const from = `from users u ${joins} where ${where.join(' and ')}`;
  const usersOnly = !q.kyc_status && q.profile_complete === undefined && !q.search;
  return {
    sql: `select u.id, u.username, u.phone, u.email, u.role, u.status, u.created_at, p.full_name, p.city,
              coalesce(k.status, 'not_submitted') as kyc_status, coalesce(${COMPLETE}, false) as profile_complete
       ${from} order by ${ORDER[q.ordering]} limit ? offset ?`,
    params,
    countFrom: usersOnly ? `from users u where ${where.join(' and ')}` : from,
  };
}

/** Admin user list (GET /api/users) with profile and KYC state; filterable, paginated. */
export class UserDirectoryService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  async list(q: UserListQuery) {
    const { sql, params, countFrom } = userListQuery(q);
    const exec = executor(this.deps.orm);
    const [total, rows] = await Promise.all([listTotal(exec, countFrom, params), exec(sql, [...params, q.page_size, offsetOf(q)])]);
    return estimatedPageOf(
      rows.map((r) => ({
        id: String(r.id),
        username: (r.username as string) ?? null,
        phone: (r.phone as string) ?? null,
        email: (r.email as string) ?? null,
        role: String(r.role),
        status: String(r.status),
        full_name: (r.full_name as string) ?? null,
        city: (r.city as string) ?? null,
        kyc_status: String(r.kyc_status),
        profile_complete: Boolean(r.profile_complete),
        created_at: new Date(r.created_at as string).toISOString(),
      })),
      total,
      q,
    );
  }
}
