import type { Request, RequestHandler, Response, Router } from 'express';
import { z, type ZodType } from 'zod';
import { Errors } from '../../kernel/errors';
import type { Envelope } from '../surfaces/envelopes';
import { audited, type AdminAuditSink, type RouteAudit } from './audit';
import type { LimitedStaffRole } from '../../modules/identity';
import { authGuard, type AccessVerifier, type AuthLevel, type AuthUser } from './auth';
import { documentedParams, toOpenApiPath, type OpenAPIRegistry } from './openapi';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  user?: AuthUser;
  req: Request;
  res: Response;
}

export interface RouteSpec<B extends ZodType, Q extends ZodType, P extends ZodType> {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  auth?: AuthLevel;
  /** Limited staff roles (identity's LIMITED_STAFF_ROLES, e.g. `finance`) that may call this admin route besides admins. */
  roles?: readonly LimitedStaffRole[];
  body?: B;
  /** Documented as multipart/form-data, NOT validated here: the handler parses the upload itself. */
  multipartBody?: ZodType;
  query?: Q;
  params?: P;
  /** Schema of `data` inside the surface's envelope, for the OpenAPI document (documented wrapped). */
  response?: ZodType;
  status?: number;
  /**
   * Extra documented error statuses: { 504: 'Device did not answer' } (body: the surface's error
   * envelope), or { 503: { description, schema } } where the handler writes another body itself.
   */
  errors?: Record<number, string | { description: string; schema: ZodType }>;
  message?: string;
  /** Admin routes that change something are audited; this names their target and reads its state before. */
  audit?: RouteAudit<RouteInput<z.output<B>, z.output<Q>, z.output<P>>>;
  /** Rate limiters (src/api/http/rate-limit.ts `rateLimits`), run after the auth guard and before the body is validated; documents 429. */
  limits?: RequestHandler[];
  handler: (input: RouteInput<z.output<B>, z.output<Q>, z.output<P>>) => unknown | Promise<unknown>;
}

/** Money actions take a fresh TOTP code here instead of a recent POST /auth/2fa/verify. */
const StepUpHeaders = z.object({
  'x-totp': z
    .string()
    .optional()
    .openapi({ description: 'A current TOTP code: a fresh second factor for this action (else one verified within ADMIN_STEP_UP_MINUTES)' }),
});

/** zod issues → [{field, message}] a client can show next to its inputs. */
export function fieldErrors(error: z.ZodError, where: string) {
  return error.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: i.message, code: i.code }));
}

/** A NUL character anywhere in the input: PostgreSQL cannot take it (the driver fails the whole statement). */
const hasNul = (v: unknown, depth = 0): boolean =>
  typeof v === 'string' ? v.includes('\u0000') : v && typeof v === 'object' && depth < 10 ? Object.values(v).some((x) => hasNul(x, depth + 1)) : false;

function parse<T extends ZodType | undefined>(schema: T, value: unknown, where: string) {
  if (!schema) return value;
  if (hasNul(value)) throw Errors.validation([{ field: where, message: 'must not contain NUL characters', code: 'invalid_string' }]);
  const r = schema.safeParse(value);
  if (!r.success) throw Errors.validation(fieldErrors(r.error, where));
  return r.data;
}

/**
 * A surface's router that validates with zod, documents itself in OpenAPI from the same
 * schemas, checks auth and wraps results in the surface's envelope. Handlers stay thin.
 */
export class SurfaceRoutes {
  constructor(
    readonly router: Router,
    readonly registry: OpenAPIRegistry,
    private readonly envelope: Envelope,
    private readonly access: AccessVerifier,
    /** Where admin actions (admin routes other than GET) are recorded. */
    private readonly audit?: AdminAuditSink,
  ) {}

  /** The documented answers of a route: its success, and each failure its auth, inputs, limits and `errors` can give. */
  private documentedResponses(
    spec: RouteSpec<ZodType, ZodType, ZodType>,
    status: number,
    failure: (description: string, schema?: ZodType) => object,
    json: (schema: ZodType) => object,
  ) {
    const auth = spec.auth ?? 'none';
    return {
      [status]: { description: 'Success', ...(spec.response ? json(this.envelope.okSchema(spec.response)) : {}) },
      ...(spec.body || spec.query || spec.params ? { 400: failure('Validation failed (field-level errors in details)') } : {}),
      ...(auth !== 'none' ? { 401: failure('Missing or invalid token') } : {}),
      // A signed-in caller whose role, ownership or account state does not allow this (e.g. a fleet dealer on an admin action).
      ...(auth === 'user' ? { 403: failure('Not allowed for this account') } : {}),
      // What a path parameter names may not exist (or not be the caller's).
      ...(spec.params ? { 404: failure('Not found') } : {}),
      ...(auth.startsWith('admin') ? { 403: failure(spec.roles?.length ? `Not an admin or ${spec.roles.join(', ')}` : 'Not an admin') } : {}),
      ...(auth === 'super_admin' ? { 403: failure('Not a super admin') } : {}),
      ...(auth === 'admin-step-up' ? { 429: failure('SECOND_FACTOR_LOCKED: too many wrong X-TOTP codes (details.locked_until)') } : {}),
      ...(spec.limits?.length ? { 429: failure('RATE_LIMIT_EXCEEDED: too many requests from this client or user (Retry-After)') } : {}),
      ...Object.fromEntries(
        Object.entries(spec.errors ?? {}).map(([code, e]) => [code, typeof e === 'string' ? failure(e) : failure(e.description, e.schema)]),
      ),
    };
  }

  route<B extends ZodType = ZodType<undefined>, Q extends ZodType = ZodType<undefined>, P extends ZodType = ZodType<undefined>>(
    spec: RouteSpec<B, Q, P>,
  ): this {
    const status = spec.status ?? (spec.method === 'post' ? 200 : 200);
    const auth = spec.auth ?? 'none';
    const json = (schema: ZodType) => ({ content: { 'application/json': { schema } } });
    const failure = (description: string, schema: ZodType = this.envelope.errorSchema) => ({ description, ...json(schema) });
    this.registry.registerPath({
      method: spec.method,
      path: toOpenApiPath(spec.path),
      summary: spec.summary,
      description: spec.description,
      tags: spec.tags,
      security: auth === 'none' ? undefined : [{ bearerAuth: [] }],
      request: {
        ...(spec.params ? { params: documentedParams(spec.params) as never } : {}),
        ...(spec.query ? { query: documentedParams(spec.query) as never } : {}),
        ...(auth === 'admin-step-up' ? { headers: StepUpHeaders } : {}),
        // A missing body is validated as {}: the body is required only when {} is not valid.
        ...(spec.body ? { body: { required: !spec.body.safeParse({}).success, ...json(spec.body) } } : {}),
        ...(spec.multipartBody ? { body: { content: { 'multipart/form-data': { schema: spec.multipartBody } } } } : {}),
      },
      responses: this.documentedResponses(spec, status, failure, json),
    });
    const handler: RequestHandler = async (req, res) => {
      const input = {
        params: parse(spec.params, req.params, 'params'),
        query: parse(spec.query, req.query, 'query'),
        body: parse(spec.body, req.body ?? {}, 'body'),
        user: req.user,
        req,
        res,
      } as RouteInput<z.output<B>, z.output<Q>, z.output<P>>;
      const isAdminAction = (auth === 'admin' || auth === 'admin-step-up' || auth === 'super_admin') && spec.method !== 'get' && this.audit;
      const data = isAdminAction
        ? await audited({
            sink: this.audit!,
            action: `${spec.method.toUpperCase()} ${toOpenApiPath(spec.path)}`,
            okStatus: status,
            input,
            audit: spec.audit,
            run: async () => spec.handler(input),
          })
        : await spec.handler(input);
      if (res.headersSent) return;
      res.status(status).json(this.envelope.ok(data ?? null, spec.message));
    };
    this.router[spec.method](spec.path, authGuard(this.access, auth, spec.roles), ...(spec.limits ?? []), handler);
    return this;
  }
}
