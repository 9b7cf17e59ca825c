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

/**
 * A path the surface knows, called with a method it does not answer there: 405 with `Allow`
 * (RFC 9110) in the surface's own error envelope instead of a 404 or another route's answer;
 * OPTIONS answers 204 with `Allow`. Read from the router at request time, so it holds for every
 * route added later. Mounted before the routes (for literal paths a parameterised route would
 * otherwise take) and after them.
 */
export function methodNotAllowed(router: Router): RequestHandler {
  return (req, res, next) => {
    const allowed = allowedMethods(router, req.path);
    if (!allowed.length || allowed.includes(req.method)) return next();
    const allow = [...allowed, 'OPTIONS'].join(', ');
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.originalUrl.split('?')[0]}; allowed: ${allow}`, 405));
  };
}
