/** Roles with every admin power: they pass `auth: 'admin'` (with a second factor) on every admin route. */
export const ADMIN_ROLES: ReadonlySet<string> = new Set(['admin', 'super_admin']);
/**
 * Staff roles with only some admin routes: a route names them (`roles` of the route) to let them in.
 * `finance`: money queues (refunds, payouts) and reports, never a device command or a user's account.
 */
export const LIMITED_STAFF_ROLES = ['finance'] as const;
export type LimitedStaffRole = (typeof LIMITED_STAFF_ROLES)[number];
/** Every staff role: a second factor before any admin route, and the short admin session lifetime. */
export const STAFF_ROLES: ReadonlySet<string> = new Set([...ADMIN_ROLES, ...LIMITED_STAFF_ROLES]);
/** Roles that pass `auth: 'super_admin'` (issuing coupons, seed 001). */
export const SUPER_ADMIN_ROLES: ReadonlySet<string> = new Set(['super_admin']);

export const isAdminRole = (role: string): boolean => ADMIN_ROLES.has(role);
export const isStaffRole = (role: string): boolean => STAFF_ROLES.has(role);

/**
 * SQL (over `auth_sessions s join users u`) true when a session is past its end: its absolute end,
 * or, for a user who holds a staff role now (promoted after logging in), the admin lifetime. Two
 * parameters: the admin roles (a PostgreSQL array literal) and ADMIN_SESSION_MAX_HOURS.
 */
export const SESSION_EXPIRED_SQL = `(s.absolute_expires_at <= now() or (u.role = any(?::text[]) and s.created_at + make_interval(hours => ?) <= now()))`;
export const sessionExpiredParams = (adminHours: number): unknown[] => [`{${[...STAFF_ROLES].join(',')}}`, adminHours];
