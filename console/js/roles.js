// What each staff role is shown. The API decides what a role may do (a finance token is refused a
// device command with 403); the console only hides what the role cannot do, from the same rules.
import { session } from './api.js';

export const STAFF_ROLES = ['admin', 'super_admin', 'finance'];
export const ADMINS = ['admin', 'super_admin'];
/** Money queues and reports: admins and finance. */
export const MONEY = ['admin', 'super_admin', 'finance'];

export const role = () => session.get()?.user?.role ?? null;
/** True when the signed-in role is one of `roles` (admins only when a page or queue names none). */
export const allowed = (roles = ADMINS) => roles.includes(role());
