import express from 'express';
import { followRedirect, isFormPost } from '../sandbox/browser';
import { renderPage } from '../sandbox/page';
import { StripeApiError, type PaymentIntentObject, type StripeEventObject } from './stripe.sandbox-objects';
import type { StripeSandboxStore } from './stripe.sandbox-store';
import type { StripeWebhookSender } from './stripe.webhook-sender';

export interface ControlContext {
  store: StripeSandboxStore;
  events: Map<string, StripeEventObject>;
  sender: StripeWebhookSender;
  settings: { enabled: string[] | '*'; autoDeliver: boolean };
}

/** Where Stripe sends the browser after a redirect-based confirmation. */
function returnRedirect(store: StripeSandboxStore, pi: PaymentIntentObject): string | null {
  const base = store.returnUrls.get(pi.id);
  if (!base) return null;
  const url = new URL(base);
  url.searchParams.set('payment_intent', pi.id);
  url.searchParams.set('payment_intent_client_secret', pi.client_secret);
  url.searchParams.set('redirect_status', pi.status === 'succeeded' ? 'succeeded' : pi.status === 'canceled' ? 'canceled' : 'failed');
  return url.toString();
}

/** The hosted test checkout page, with test-card buttons while the PaymentIntent can still be paid. */
function checkoutPageRoute(r: express.Router, store: StripeSandboxStore): void {
  r.get('/checkout/:id', (req, res) => {
    const pi = store.intents.get(req.params.id);
    if (!pi) return void res.status(404).type('html').send('<h1>No such PaymentIntent</h1>');
    const open = ['requires_payment_method', 'requires_confirmation'].includes(pi.status);
    res.type('html').send(
      renderPage({
        gateway: 'Stripe',
        title: pi.description ?? pi.id,
        rows: [
          ['Amount', `${(pi.amount / 100).toFixed(2)} ${pi.currency.toUpperCase()}`],
          ['PaymentIntent', pi.id],
          ['Status', pi.status],
          ['Last error', pi.last_payment_error?.message ?? ''],
        ],
        actions: open
          ? [
              { label: 'Pay with 4242 4242 4242 4242', action: `/__sandbox/pay/${pi.id}`, fields: { payment_method: 'pm_card_visa' }, tone: 'primary' },
              { label: 'Pay with declined card 4000 0000 0000 0002', action: `/__sandbox/pay/${pi.id}`, fields: { payment_method: 'pm_card_chargeDeclined' } },
              { label: 'Cancel', action: `/__sandbox/cancel/${pi.id}`, fields: { reason: 'abandoned' }, tone: 'danger' },
            ]
          : [],
      }),
    );
  });
}

/** A payer move on a PaymentIntent: a redirect for the checkout page, JSON (optionally after following the return URL) for tests. */
function move(store: StripeSandboxStore, fn: (pi: PaymentIntentObject, body: Record<string, unknown>) => void): express.RequestHandler {
  return async (req, res) => {
    const pi = store.intents.get(String(req.params.id));
    if (!pi)
      return void res
        .status(404)
        .json({ error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${req.params.id}'` } });
    const body = (req.body ?? {}) as Record<string, unknown>;
    let error: unknown;
    try {
      fn(pi, body);
    } catch (err) {
      if (!(err instanceof StripeApiError)) throw err;
      if (err.status !== 402) return void res.status(err.status).json({ error: err.body });
      error = err.body; // a decline is an outcome, not a control failure
    }
    const location = returnRedirect(store, pi);
    if (isFormPost(req.header('content-type'))) {
      if (location) return void res.redirect(302, location);
      return void res.redirect(303, `/__sandbox/checkout/${pi.id}`);
    }
    const out: Record<string, unknown> = { payment_intent: pi, redirect_url: location, ...(error ? { error } : {}) };
    if (location && body.follow === true) out.callback = await followRedirect(location);
    res.status(error ? 402 : 200).json(out);
  };
}

/** Payer moves (pay, cancel) and settling a pending refund. */
function paymentControlRoutes(r: express.Router, store: StripeSandboxStore): void {
  r.post(
    '/pay/:id',
    move(store, (pi, b) => {
      store.confirm(pi, typeof b.payment_method === 'string' && b.payment_method ? b.payment_method : 'pm_card_visa');
    }),
  );
  r.post(
    '/cancel/:id',
    move(store, (pi, b) => {
      store.cancel(pi, typeof b.reason === 'string' && b.reason ? b.reason : 'abandoned');
    }),
  );

  r.post('/disputes/:id', (req, res) => {
    try {
      res.json(store.dispute(req.params.id, typeof req.body?.reason === 'string' ? req.body.reason : undefined));
    } catch (err) {
      if (err instanceof StripeApiError) return void res.status(err.status).json({ error: err.body });
      throw err;
    }
  });

  r.post('/refunds/:id/:outcome', (req, res) => {
    try {
      res.json(store.settleRefund(req.params.id, req.params.outcome === 'succeed' ? 'succeeded' : 'failed'));
    } catch (err) {
      if (err instanceof StripeApiError) return void res.status(err.status).json({ error: err.body });
      throw err;
    }
  });
}

/** The events recorded, the webhook deliveries made, sending events again, and the webhook endpoint's settings. */
function webhookControlRoutes(r: express.Router, ctx: ControlContext): void {
  const { sender } = ctx;
  r.get('/events', (req, res) => {
    const type = typeof req.query.type === 'string' ? req.query.type : undefined;
    res.json({ data: [...ctx.events.values()].filter((e) => !type || e.type === type) });
  });
  r.get('/deliveries', (_req, res) => {
    res.json({ data: sender.deliveries });
  });

  r.post('/deliver', async (req, res) => {
    const b = (req.body ?? {}) as { event_ids?: unknown; times?: unknown; concurrent?: unknown; retries?: unknown };
    const ids = Array.isArray(b.event_ids) ? b.event_ids.map(String) : [];
    const list = ids.map((id) => ctx.events.get(id));
    if (!ids.length || list.some((e) => !e)) return void res.status(400).json({ error: { message: 'event_ids must list known event ids' } });
    const times = typeof b.times === 'number' && b.times > 0 ? Math.min(b.times, 200) : 1;
    res.json(await sender.deliver(list as StripeEventObject[], { times, concurrent: b.concurrent === true, retries: b.retries === true }));
  });

  r.post('/webhooks', (req, res) => {
    const b = (req.body ?? {}) as {
      url?: string;
      secret?: string;
      autoDeliver?: boolean;
      enabledEvents?: string[] | '*';
      maxAttempts?: number;
      retryDelaysMs?: number[];
    };
    sender.configure({ url: b.url, secret: b.secret, maxAttempts: b.maxAttempts, retryDelaysMs: b.retryDelaysMs });
    if (typeof b.autoDeliver === 'boolean') ctx.settings.autoDeliver = b.autoDeliver;
    if (b.enabledEvents) ctx.settings.enabled = b.enabledEvents;
    res.json({ url: sender.url, autoDeliver: ctx.settings.autoDeliver, enabledEvents: ctx.settings.enabled });
  });
}

/** /__sandbox: the hosted test checkout page, payer moves, and webhook delivery controls for tests. */
export function stripeSandboxControls(ctx: ControlContext): express.Router {
  const r = express.Router();
  checkoutPageRoute(r, ctx.store);
  paymentControlRoutes(r, ctx.store);
  webhookControlRoutes(r, ctx);
  return r;
}
