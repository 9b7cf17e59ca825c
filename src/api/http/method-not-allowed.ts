import type { RequestHandler, Router } from 'express';
import { AppError } from '../../kernel/errors';

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  match(path: string): unknown;
}

const isLiteral = (layer: RouteLayer) => typeof layer.route?.path === 'string' && !/[:*?(]/.test(layer.route.path);

/**
 * The methods the router answers on this path (HEAD wherever GET is, as Express answers it). A path
 * a literal route names (`/admin/achievements/analytics`) is that resource: a parameterised route
 * of the same prefix (`/admin/achievements/:id`) does not add its methods to it.
 */
export function allowedMethods(router: Router, path: string): string[] {
  const matching = (router.stack as unknown as RouteLayer[]).filter((layer) => layer.route && layer.match(path));
  const literal = matching.filter(isLiteral);
  const allowed = new Set<string>();
  for (const layer of literal.length ? literal : matching)
    for (const [method, on] of Object.entries(layer.route!.methods)) if (on && method !== '_all') allowed.add(method.toUpperCase());
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed].sort();
}

/** How a literal route's path matches (Express's default: case-insensitive, an optional trailing slash). */
const literalKey = (path: string) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).toLowerCase();

/**
 * The methods of each literal route path of the router, rebuilt when routes are added: the check
 * before the routes costs one Map look-up per request instead of matching every route's pattern
 * (issue 16). A path no literal route names is left to the routes and to the check after them.
 */
function literalMethods(router: Router): (path: string) => string[] | undefined {
  let size = -1;
  let byPath = new Map<string, string[]>();
  return (path) => {
    const stack = router.stack as unknown as RouteLayer[];
    if (stack.length !== size) {
      size = stack.length;
      const paths = new Set(stack.filter(isLiteral).map((layer) => layer.route!.path as string));
      byPath = new Map([...paths].map((p) => [literalKey(p), allowedMethods(router, p)]));
    }
    return byPath.get(literalKey(path));
  };
}

/** 405 with `Allow` (or OPTIONS' 204) when `allowed` is known and lacks the request's method; else the next handler. */
const refuse =
  (allowedFor: (path: string) => string[] | undefined): RequestHandler =>
  (req, res, next) => {
    const allowed = allowedFor(req.path);
    if (!allowed?.length || allowed.includes(req.method)) return next();
    const allow = [...allowed, 'OPTIONS'].join(', ');
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.originalUrl.split('?')[0]}; allowed: ${allow}`, 405));
  };

/**
 * A path the surface knows, called with a method it does not answer there: 405 with `Allow`
 * (RFC 9110) in the surface's own error envelope instead of a 404 or another route's answer;
 * OPTIONS answers 204 with `Allow`. Read from the router at request time, so it holds for every
 * route added later. `before` is mounted before the routes, for literal paths (a parameterised
 * route would otherwise take `POST /admin/achievements/analytics`); `after` after them, for every
 * path no route answered.
 */
export function methodNotAllowed(router: Router): { before: RequestHandler; after: RequestHandler } {
  return { before: refuse(literalMethods(router)), after: refuse((path) => allowedMethods(router, path)) };
}
