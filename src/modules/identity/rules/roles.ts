/**
 * Roles that are staff with admin powers: they pass `auth: 'admin'` (with a second factor) and their
 * sessions have the short admin lifetime. Staff roles added later decide here whether they are.
 */
export const ADMIN_ROLES: ReadonlySet<string> = new Set(['admin', 'super_admin']);
/** Roles that pass `auth: 'super_admin'` (issuing coupons, seed 001). */
export const SUPER_ADMIN_ROLES: ReadonlySet<string> = new Set(['super_admin']);

export const isAdminRole = (role: string): boolean => ADMIN_ROLES.has(role);

/**
 * SQL (over `auth_sessions s join users u`) true when a session is past its end: its absolute end,
 * or, for a user who holds an admin role now (promoted after logging in), the admin lifetime. Two
 * parameters: the admin roles (a PostgreSQL array literal) and ADMIN_SESSION_MAX_HOURS.
 */
export const SESSION_EXPIRED_SQL = `(s.absolute_expires_at <= now() or (u.role = any(?::text[]) and s.created_at + make_interval(hours => ?) <= now()))`;
export const sessionExpiredParams = (adminHours: number): unknown[] => [`{${[...ADMIN_ROLES].join(',')}}`, adminHours];
