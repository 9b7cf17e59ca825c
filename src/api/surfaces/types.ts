import type { ApiDeps } from '../deps';
import type { SurfaceRoutes } from '../http/route';

/** A group of routes of one surface; registered in order by the surface's index. */
export type SurfaceModule = (routes: SurfaceRoutes, deps: ApiDeps) => void;
