import type { RequestHandler, Router } from 'express';
import { AppError } from '../../kernel/errors';

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): unknown;
}

/** The methods the router's routes answer on this path (HEAD wherever GET is, as Express answers it). */
export function allowedMethods(router: Router, path: string): string[] {
  const allowed = new Set<string>();
  for (const layer of router.stack as unknown as RouteLayer[]) {
    if (!layer.route || !layer.match(path)) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') allowed.add(method.toUpperCase());
  }
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed].sort();
}

/**
 * After every route of a surface: a path the surface knows, called with a method it does not
 * answer there, gets 405 with `Allow` (RFC 9110) in the surface's own error envelope instead of
 * a 404; OPTIONS on a known path answers 204 with `Allow`. Read from the router itself, so it
 * holds for every route added later.
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
