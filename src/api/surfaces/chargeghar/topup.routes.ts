import { z } from 'zod';
import { type GatewayName, GATEWAY_NAMES, PaymentIntentService, WebhookService } from '../../../modules/payments';
import type { ApiDeps } from '../../deps';
import type { SurfaceRoutes } from '../../http/route';
import { surfaceBaseUrl } from '../../http/public-url';
import { rateLimits } from '../../http/rate-limit';
import type { SurfaceModule } from '../types';
import { MoneyInput } from './money-schemas';
import { chargegharProfile } from './profile';

const IntentParams = z.object({ intent_id: z.string().uuid() });

const Intent = z
  .object({
    intent_id: z.string(),
    status: z.enum(['pending', 'success', 'failed']),
    state: z.string(),
    gateway: z.string(),
    amount: z.string(),
    amount_minor: z.number(),
    currency: z.string(),
    payment_url: z.string().nullable(),
    gateway_ref: z.string().nullable(),
    gateway_data: z.record(z.string(), z.unknown()).nullable(),
    failure_reason: z.string().nullable(),
    transaction_id: z.string().nullable(),
    expires_at: z.string(),
    created_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .openapi('PaymentIntent');

/** The services the routes below call. */
function ctxOf(deps: ApiDeps) {
  const intents = new PaymentIntentService({
    orm: deps.orm,
    temporal: deps.temporal,
    config: deps.config,
    currency: chargegharProfile(deps).currency,
    gateways: deps.gateways,
  });
  const webhooks = new WebhookService({ orm: deps.orm, temporal: deps.temporal, gateways: deps.gateways, intents, taskQueue: deps.config.TEMPORAL_TASK_QUEUE });
  return { intents, webhooks, limits: { topup: rateLimits(deps, 'topup'), webhook: rateLimits(deps, 'webhook') } };
}
type Ctx = ReturnType<typeof ctxOf>;

/** Top-up intents of a customer. */
function topupIntentRoutes(routes: SurfaceRoutes, deps: ApiDeps, { intents, limits }: Ctx) {
  routes.route({
    method: 'post',
    path: '/payment/wallet/topup-intent',
    summary: 'Creates a top-up payment intent (a payment-intent workflow) and returns its payment URL and intent_id',
    tags: ['Payment'],
    auth: 'user',
    body: z
      .object({ amount: MoneyInput, gateway: z.enum(GATEWAY_NAMES) })
      .openapi('TopupIntent', { description: "The amount must lie within the gateway's limits (400 VALIDATION_ERROR naming them otherwise)." }),
    limits: limits.topup,
    response: Intent,
    errors: { 502: 'The gateway refused to open a session', 503: 'The gateway is not configured' },
    handler: ({ body, user, req }) => {
      return intents.createTopup({
        userId: user!.id,
        amountMinor: body.amount,
        gateway: body.gateway,
        returnUrl: `${surfaceBaseUrl(req, deps.config.PUBLIC_BASE_URL)}/payment/webhook/${body.gateway}`,
      });
    },
  });

  routes.route({
    method: 'post',
    path: '/payment/verify-topup',
    summary: 'Asks the gateway now whether the top-up was paid; credits the wallet if it was',
    tags: ['Payment'],
    auth: 'user',
    body: z.object({ intent_id: z.string().uuid() }),
    response: Intent,
    errors: { 404: 'Unknown intent' },
    handler: ({ body, user }) => intents.verify(user!.id, body.intent_id),
  });

  routes.route({
    method: 'get',
    path: '/payment/status/:intent_id',
    summary: 'Status of a payment intent: pending, success or failed (state tells canceled/expired)',
    tags: ['Payment'],
    auth: 'user',
    params: IntentParams,
    response: Intent,
    errors: { 404: 'Unknown intent' },
    handler: ({ params, user }) => intents.status(user!.id, params.intent_id),
  });

  routes.route({
    method: 'post',
    path: '/payment/cancel/:intent_id',
    summary: 'Cancels a pending top-up intent; a paid one cannot be canceled (409)',
    tags: ['Payment'],
    auth: 'user',
    params: IntentParams,
    response: Intent,
    errors: { 404: 'Unknown intent', 409: 'Already paid (PAYMENT_ALREADY_COMPLETED) or no longer pending' },
    handler: ({ params, user }) => intents.cancel(user!.id, params.intent_id),
  });
}

/** Gateway webhooks and callbacks. */
function webhookRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { webhooks, limits }: Ctx) {
  for (const gateway of GATEWAY_NAMES) {
    for (const method of ['post', 'get'] as const) {
      routes.route({
        method,
        path: `/payment/webhook/${gateway}`,
        summary: `${gateway} ${method === 'get' ? 'browser return (redirect callback)' : 'webhook / callback'}: verified, de-duplicated, signalled to the intent`,
        tags: ['Payment: Webhooks'],
        limits: limits.webhook,
        errors: { 401: 'Failed verification (INVALID_SIGNATURE); nothing changes', 404: 'Unknown intent' },
        handler: ({ req }) =>
          webhooks.receive(gateway as GatewayName, {
            headers: req.headers,
            rawBody: req.rawBody,
            body: req.body,
            query: req.query as Record<string, unknown>,
          }),
      });
    }
  }
}

export const topupRoutes: SurfaceModule = (routes, deps) => {
  const ctx = ctxOf(deps);
  topupIntentRoutes(routes, deps, ctx);
  webhookRoutes(routes, deps, ctx);
};
