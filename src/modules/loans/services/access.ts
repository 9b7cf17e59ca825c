import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, Errors } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import type { FleetUserType } from '../rules/kyc';

/** Who is calling the fleet surface: the fleet member behind the identity user of the token. */
export interface FleetCaller {
  memberId: string;
  userId: string;
  userType: FleetUserType;
  name: string;
}

/** The caller's fleet role; a token of a user who is not a fleet member gets 403. */
export async function fleetCaller(orm: MikroORM, userId: string): Promise<FleetCaller> {
  const [row] = await executor(orm)(`select id, user_type, name from fleet_members where user_id = ?`, [userId]);
  if (!row) throw new AppError('NOT_A_FLEET_MEMBER', 'This account is not a dealer, admin or technician of the fleet', 403);
  return { memberId: row.id, userId, userType: row.user_type, name: row.name };
}

/** Only these fleet roles may call; anyone else gets 403 FORBIDDEN. */
export function requireRole(caller: FleetCaller, ...types: FleetUserType[]): void {
  if (!types.includes(caller.userType)) throw new AppError('FORBIDDEN', `Only ${types.join(' or ')} users may do this`, 403);
}

/** SQL condition and its parameter limiting rows to the caller's own (dealers) or everything (admins). */
export function dealerScope(caller: FleetCaller, column = 'dealer_id'): { sql: string; params: unknown[] } {
  return caller.userType === 'admin' ? { sql: 'true', params: [] } : { sql: `${column} = ?`, params: [caller.memberId] };
}

/** Another dealer's record is reported as missing (404), never as forbidden: its existence stays private. */
export const notYours = (what: string) => Errors.notFound(what);
