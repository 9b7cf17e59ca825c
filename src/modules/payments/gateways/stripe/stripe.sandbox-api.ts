import express from 'express';
import { randomId } from '../sandbox/ids';
import { idempotency } from './stripe.idempotency';
import { missing, StripeApiError, type PaymentIntentObject, type RefundStatus, type StripeEventObject } from './stripe.sandbox-objects';
import { bool, expand, int, metadata, oneOf, onlyKnown, str, type Params } from './stripe.sandbox-params';
import type { StripeSandboxStore } from './stripe.sandbox-store';

const CREATE_PARAMS = [
  'amount',
  'currency',
  'description',
  'metadata',
  'automatic_payment_methods',
  'payment_method',
  'payment_method_types',
  'confirm',
  'capture_method',
  'customer',
  'return_url',
  'receipt_email',
  'statement_descriptor',
  'expand',
];
const CONFIRM_PARAMS = ['payment_method', 'return_url', 'expand', 'receipt_email'];
const CANCEL_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

export interface StripeApiContext {
  secretKey: string;
  store: StripeSandboxStore;
  events: Map<string, StripeEventObject>;
  refundStatus: () => RefundStatus;
  /** Sets the request id and idempotency key the next emitted events carry. */
  setRequest: (r: { id: string; idempotency_key: string | null } | null) => void;
}

function withExpand(pi: PaymentIntentObject, params: Params, store: StripeSandboxStore): PaymentIntentObject {
  if (!expand(params).includes('latest_charge') || typeof pi.latest_charge !== 'string') return pi;
  return { ...pi, latest_charge: store.charges.get(pi.latest_charge) ?? pi.latest_charge };
}

/** Bearer (or Basic) sk_test auth; the request id and idempotency key go on the response and the events it causes. */
function authenticate(ctx: StripeApiContext): express.RequestHandler {
  return (req, res, next) => {
    const requestId = `req_${randomId(14)}`;
    res.setHeader('Request-Id', requestId);
    const header = req.header('authorization') ?? '';
    const bearer =
      /^Bearer\s+(\S+)$/.exec(header)?.[1] ??
      (/^Basic\s+(\S+)$/.exec(header) ? Buffer.from(header.slice(6).trim(), 'base64').toString().split(':')[0] : undefined);
    if (!bearer) {
      return void res.status(401).json({
        error: {
          type: 'invalid_request_error',
          message:
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        },
      });
    }
    if (bearer !== ctx.secretKey) {
      return void res.status(401).json({
        error: {
          type: 'invalid_request_error',
          code: 'api_key_invalid',
          message: `Invalid API Key provided: ${bearer.slice(0, 8)}${'*'.repeat(4)}${bearer.slice(-4)}`,
        },
      });
    }
    ctx.setRequest({ id: requestId, idempotency_key: req.header('idempotency-key') ?? null });
    res.on('finish', () => ctx.setRequest(null));
    next();
  };
}

type Handle = (fn: (params: Params, req: express.Request) => { status?: number; body: unknown }) => express.RequestHandler;

/** Runs a synchronous handler and renders StripeApiErrors in Stripe's envelope. */
function handler(ctx: StripeApiContext): Handle {
  return (fn) => (req, res) => {
    const params = (req.method === 'GET' ? req.query : (req.body ?? {})) as Params;
    try {
      const out = fn(params, req);
      res.status(out.status ?? 200).json(out.body);
    } catch (err) {
      if (err instanceof StripeApiError) return void res.status(err.status).json({ error: err.body });
      res.status(500).json({ error: { type: 'api_error', message: `sandbox: ${(err as Error).message}` } });
    } finally {
      ctx.setRequest(null);
    }
  };
}

/** PaymentIntents: create, retrieve, confirm, cancel. */
function paymentIntentRoutes(r: express.Router, { store }: StripeApiContext, handle: Handle): void {
  r.post(
    '/payment_intents',
    handle((p) => {
      onlyKnown(p, CREATE_PARAMS);
      const amount = int(p, 'amount', true);
      const currency = str(p, 'currency', true)!.toLowerCase();
      if (!/^[a-z]{3}$/.test(currency))
        throw new StripeApiError(400, { type: 'invalid_request_error', param: 'currency', message: `Invalid currency: ${currency}.` });
      if (amount < 1)
        throw new StripeApiError(400, { type: 'invalid_request_error', code: 'amount_too_small', param: 'amount', message: 'Amount must be at least 1.' });
      const apm = p.automatic_payment_methods as { enabled?: string } | undefined;
      const pmTypes = p.payment_method_types === undefined ? undefined : Object.values(p.payment_method_types as object).map(String);
      const pi = store.createIntent({
        amount,
        currency,
        description: str(p, 'description'),
        metadata: metadata(p),
        customer: str(p, 'customer'),
        receipt_email: str(p, 'receipt_email'),
        automatic: apm?.enabled === 'true',
        payment_method_types: pmTypes,
      });
      const returnUrl = str(p, 'return_url');
      if (returnUrl) store.returnUrls.set(pi.id, returnUrl);
      const pm = str(p, 'payment_method');
      if (pm) store.attach(pi, pm);
      if (bool(p, 'confirm')) store.confirm(pi);
      return { body: withExpand(pi, p, store) };
    }),
  );

  r.get(
    '/payment_intents/:id',
    handle((p, req) => ({ body: withExpand(store.intent(String(req.params.id)), p, store) })),
  );

  r.post(
    '/payment_intents/:id/confirm',
    handle((p, req) => {
      onlyKnown(p, CONFIRM_PARAMS);
      const pi = store.intent(String(req.params.id));
      const returnUrl = str(p, 'return_url');
      if (returnUrl) store.returnUrls.set(pi.id, returnUrl);
      return { body: withExpand(store.confirm(pi, str(p, 'payment_method')), p, store) };
    }),
  );

  r.post(
    '/payment_intents/:id/cancel',
    handle((p, req) => {
      onlyKnown(p, ['cancellation_reason', 'expand']);
      return { body: store.cancel(store.intent(String(req.params.id)), oneOf(p, 'cancellation_reason', CANCEL_REASONS)) };
    }),
  );
}

/** Refunds: create (with the status the sandbox gives new refunds), retrieve. */
function refundRoutes(r: express.Router, ctx: StripeApiContext, handle: Handle): void {
  const { store } = ctx;
  r.post(
    '/refunds',
    handle((p) => {
      onlyKnown(p, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
      const refund = store.refund(
        {
          payment_intent: str(p, 'payment_intent'),
          charge: str(p, 'charge'),
          amount: int(p, 'amount'),
          reason: oneOf(p, 'reason', REFUND_REASONS),
          metadata: metadata(p),
        },
        ctx.refundStatus(),
      );
      return { body: refund };
    }),
  );

  r.get(
    '/refunds/:id',
    handle((_p, req) => {
      const refund = store.refunds.get(String(req.params.id));
      if (!refund) throw missing('refund', String(req.params.id));
      return { body: refund };
    }),
  );
}

/** Retrieving charges and events. */
function chargeAndEventRoutes(r: express.Router, ctx: StripeApiContext, handle: Handle): void {
  const { store } = ctx;
  r.get(
    '/charges/:id',
    handle((_p, req) => {
      const charge = store.charges.get(String(req.params.id));
      if (!charge) throw missing('charge', String(req.params.id));
      return { body: charge };
    }),
  );

  r.get(
    '/events/:id',
    handle((_p, req) => {
      const event = ctx.events.get(String(req.params.id));
      if (!event) throw missing('event', String(req.params.id));
      return { body: event };
    }),
  );
}

/** The /v1 surface: Bearer sk_test auth, form-encoded bodies, Stripe's error envelope, idempotency. */
export function stripeApiRouter(ctx: StripeApiContext): express.Router {
  const r = express.Router();
  r.use(authenticate(ctx));
  r.use(idempotency());
  const handle = handler(ctx);
  paymentIntentRoutes(r, ctx, handle);
  refundRoutes(r, ctx, handle);
  chargeAndEventRoutes(r, ctx, handle);

  r.use((req, res) => {
    res.status(404).json({ error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${req.originalUrl}).` } });
  });
  return r;
}
