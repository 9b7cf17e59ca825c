import { fleetCaller, type FleetCaller } from '../../../modules/loans';
import type { ApiDeps } from '../../deps';
import type { AuthUser } from '../../http/auth';

/** The fleet member behind the route's token (the guard already checked the token and its session). */
export const callerOf = (deps: ApiDeps, user: AuthUser | undefined): Promise<FleetCaller> => fleetCaller(deps.orm, user!.id);
