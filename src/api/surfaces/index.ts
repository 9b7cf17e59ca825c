import express, { type ErrorRequestHandler, type Request } from 'express';
import swaggerUi from 'swagger-ui-express';
import { swaggerUiEnabled, type SurfaceName } from '../../config';
import { logger, redactUrl } from '../../kernel/logger';
import type { ApiDeps } from '../deps';
import { AppError, toAppError } from '../../kernel/errors';
import { buildDocument, OpenAPIRegistry } from '../http/openapi';
import { SurfaceRoutes } from '../http/route';
import { methodNotAllowed } from '../http/method-not-allowed';
import { AuditLogService } from '../../modules/audit';
import { createAccessVerifier } from '../../modules/identity';
import { requestContext } from '../../kernel/context';
import { chargeghar } from './chargeghar';
import { envelopes } from './envelopes';
import { ev } from './ev';
import { fleet } from './fleet';
import type { SurfaceModule } from './types';
import { water } from './water';

/** A bug is logged as an error with its stack; a service that is away (PostgreSQL, Temporal) as a warning. */
function logServerSide(err: unknown, appError: AppError, url: string): void {
  if (appError.status >= 500 && appError.code === 'INTERNAL_ERROR') logger.error({ err, path: redactUrl(url) }, 'unhandled error');
  else if (appError !== err && appError.code === 'SERVICE_UNAVAILABLE') logger.warn({ err, path: redactUrl(url) }, 'a service the request needs is away');
}

const SURFACES: Record<SurfaceName, { title: string; description: string; modules: SurfaceModule[] }> = { chargeghar, ev, water, fleet };

declare module 'express-serve-static-core' {
  interface Request {
    rawBody?: Buffer;
  }
}

/**
 * One surface as an Express router: its own body parser (so parse errors use its envelope),
 * its routes, `/openapi.json`, `/docs`, a 404 and an error handler in its format.
 */
export function buildSurfaceRouter(name: SurfaceName, mount: string, deps: ApiDeps): express.Router {
  const surface = SURFACES[name];
  const envelope = envelopes[name];
  const router = express.Router();
  router.use(
    express.json({
      limit: deps.config.BODY_LIMIT,
      // Webhook signatures are computed over the exact bytes received.
      verify: (req, _res, buf) => {
        (req as Request).rawBody = buf;
      },
    }),
  );
  router.use(express.urlencoded({ extended: false, limit: deps.config.BODY_LIMIT }));
  // API answers carry tokens and personal data: no browser or proxy may keep them (static media sets its own).
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  // Before the routes too: a literal path's undeclared method must not fall through to a parameterised route.
  const refuseUndeclaredMethods = methodNotAllowed(router);
  router.use(refuseUndeclaredMethods.before);

  const registry = new OpenAPIRegistry();
  const audit = new AuditLogService({ orm: deps.orm });
  const routes = new SurfaceRoutes(router, registry, envelope, createAccessVerifier({ orm: deps.orm, config: deps.config }), audit);
  for (const register of surface.modules) register(routes, deps);

  // Built on first use: most processes (and every test file) never serve it, and it costs a few hundred ms.
  let document: ReturnType<typeof buildDocument> | undefined;
  const openApiDocument = () => (document ??= buildDocument(registry, { title: surface.title, description: surface.description, mount }));
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  if (swaggerUiEnabled(deps.config)) {
    let docs: express.Router | undefined;
    router.use('/docs', (req, res, next) => {
      docs ??= express.Router().use(swaggerUi.serveFiles(openApiDocument()), swaggerUi.setup(openApiDocument()));
      docs(req, res, next);
    });
  }

  router.use(refuseUndeclaredMethods.after);
  router.use((req, _res, next) => next(new AppError('NOT_FOUND', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`, 404)));
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const appError = toAppError(err);
    logServerSide(err, appError, req.originalUrl);
    if (appError.status >= 500) {
      // Recent error events for admins (GET /admin/system/logs?kind=error); never fails the answer.
      const requestId = requestContext.getStore()?.requestId;
      audit
        .recordError({
          requestId,
          method: req.method,
          path: redactUrl(req.originalUrl),
          status: appError.status,
          code: appError.code,
          message: appError.message,
        })
        .catch((e) => logger.warn({ err: e }, 'error event not recorded'));
    }
    if (res.headersSent) return;
    res.status(appError.status).json(envelope.error(appError));
  };
  router.use(onError);
  return router;
}
