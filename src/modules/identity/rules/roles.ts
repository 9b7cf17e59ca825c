/**
 * Roles that are staff with admin powers: they pass `auth: 'admin'` (with a second factor) and their
 * sessions have the short admin lifetime. Staff roles added later decide here whether they are.
 */
export const ADMIN_ROLES: ReadonlySet<string> = new Set(['admin']);

export const isAdminRole = (role: string): boolean => ADMIN_ROLES.has(role);
