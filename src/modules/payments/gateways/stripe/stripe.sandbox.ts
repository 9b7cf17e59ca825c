import express from 'express';
import type { FollowedRedirect } from '../sandbox/browser';
import { SandboxClock } from '../sandbox/clock';
import { sandboxControl } from '../sandbox/control';
import { listenSandbox, type RunningSandbox } from '../../../../kernel/http/sandbox-server';
import { sandboxFaults, type SandboxFault } from '../sandbox/faults';
import { stripeApiRouter } from './stripe.sandbox-api';
import { stripeSandboxControls } from './stripe.sandbox-controls';
import { stripeId, type RefundStatus, type StripeEventObject } from './stripe.sandbox-objects';
import { StripeSandboxStore } from './stripe.sandbox-store';
import { StripeWebhookSender, type DeliveryRecord } from './stripe.webhook-sender';

/** The event types a test endpoint is subscribed to unless told otherwise. */
export const DEFAULT_ENABLED_EVENTS = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'charge.refunded',
  'refund.created',
  'refund.updated',
  'refund.failed',
  'charge.dispute.created',
];
export const SANDBOX_API_VERSION = '2026-10-28.endive';

export interface StripeSandboxOptions {
  port?: number;
  host?: string;
  /** The secret key requests must carry as `Authorization: Bearer …`. */
  secretKey: string;
  /** The endpoint's `whsec_…` signing secret. */
  webhookSecret: string;
  /** Where events are POSTed; can be set later with setWebhookEndpoint. */
  webhookUrl?: string;
  /** Event types sent to the endpoint (`'*'` = all, including payment_intent.created and charge.*). */
  enabledEvents?: string[] | '*';
  /** false: events are recorded but only sent when a test asks (deliverEvents). */
  autoDeliver?: boolean;
  maxAttempts?: number;
  retryDelaysMs?: number[];
  webhookTimeoutMs?: number;
  /** Status new refunds get: 'succeeded' (card refunds in test mode) or 'pending' (settled via control). */
  refundStatus?: RefundStatus;
  clock?: SandboxClock;
}

export interface StripePayResult {
  payment_intent: Record<string, unknown>;
  error?: unknown;
  redirect_url: string | null;
  callback?: FollowedRedirect;
}

export interface StripeSandbox {
  url: string;
  port: number;
  clock: SandboxClock;
  store: StripeSandboxStore;
  /** Every event created, oldest first. */
  events(filter?: { type?: string; objectId?: string }): StripeEventObject[];
  deliveries(): DeliveryRecord[];
  /** Confirms as the payer would (pm_card_visa by default; pm_card_chargeDeclined to decline). */
  pay(id: string, opts?: { paymentMethod?: string; follow?: boolean }): Promise<StripePayResult>;
  decline(id: string): Promise<StripePayResult>;
  cancel(id: string, reason?: string): Promise<StripePayResult>;
  settleRefund(refundId: string, to: 'succeeded' | 'failed'): Promise<unknown>;
  /** The cardholder's bank opens a dispute on the PaymentIntent's charge (`charge.dispute.created`). */
  dispute(paymentIntentId: string): Promise<unknown>;
  /** Sends stored events again: `times` copies each, concurrently or in the order given. */
  deliverEvents(eventIds: string[], opts?: { times?: number; concurrent?: boolean; retries?: boolean }): Promise<DeliveryRecord[]>;
  setWebhookEndpoint(opts: {
    url?: string;
    secret?: string;
    autoDeliver?: boolean;
    enabledEvents?: string[] | '*';
    maxAttempts?: number;
    retryDelaysMs?: number[];
  }): Promise<void>;
  /** Outages of the API on demand (5xx, slow answers); `[]` clears them. */
  setFaults(faults: SandboxFault[]): void;
  /** Resolves when automatic deliveries (and their retries) are done. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Which event types reach the endpoint, and whether they are sent as they happen. */
type EventSettings = { enabled: string[] | '*'; autoDeliver: boolean };
/** The API request being served: its id and Idempotency-Key are stamped on the events it causes. */
type CurrentRequest = { request: { id: string; idempotency_key: string | null } | null };

/** What the sandbox's store, HTTP app and test handle share. */
interface SandboxParts {
  clock: SandboxClock;
  sender: StripeWebhookSender;
  settings: EventSettings;
  events: Map<string, StripeEventObject>;
  current: CurrentRequest;
  /** Outages of the API on demand (set once the app exists). */
  faults: { set(f: SandboxFault[]): void };
}

/** The object store: each change it emits becomes an event, recorded, and sent when subscribed and automatic. */
function eventingStore({ clock, sender, settings, events, current }: SandboxParts): StripeSandboxStore {
  return new StripeSandboxStore(clock, (type, object, previous) => {
    const subscribed = settings.enabled === '*' || settings.enabled.includes(type);
    const event: StripeEventObject = {
      id: stripeId('evt'),
      object: 'event',
      api_version: SANDBOX_API_VERSION,
      created: Math.floor(clock.now() / 1000),
      data: { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) },
      livemode: false,
      pending_webhooks: subscribed && sender.url ? 1 : 0,
      request: current.request ?? { id: null, idempotency_key: null },
      type,
    };
    events.set(event.id, event);
    if (subscribed && settings.autoDeliver) sender.schedule(event);
  });
}

/** The HTTP app: the Stripe API under /v1, the payer and webhook controls under /__sandbox. */
function sandboxApp(opts: StripeSandboxOptions, store: StripeSandboxStore, parts: SandboxParts): express.Express {
  const { sender, settings, events, current } = parts;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use(express.urlencoded({ extended: true }));
  app.use(express.json());
  parts.faults = sandboxFaults(app);
  app.use(
    '/v1',
    stripeApiRouter({
      secretKey: opts.secretKey,
      store,
      events,
      refundStatus: () => opts.refundStatus ?? 'succeeded',
      setRequest: (r) => {
        current.request = r;
      },
    }),
  );
  app.use('/__sandbox', stripeSandboxControls({ store, events, sender, settings }));
  return app;
}

/** What a test holds: the recorded events and deliveries, and the controls, called over HTTP as a payer would. */
function sandboxHandle(server: RunningSandbox, store: StripeSandboxStore, parts: SandboxParts): StripeSandbox {
  const { clock, sender, events } = parts;
  const send = sandboxControl('stripe', `${server.url}/__sandbox`, [402]);
  const control = <T>(path: string, body: object = {}) => send<T>(path, body);
  return {
    url: server.url,
    port: server.port,
    clock,
    store,
    events: (f = {}) =>
      [...events.values()].filter(
        (e) =>
          (!f.type || e.type === f.type) &&
          (!f.objectId || (e.data.object as { id: string }).id === f.objectId || (e.data.object as { payment_intent?: string }).payment_intent === f.objectId),
      ),
    deliveries: () => [...sender.deliveries],
    pay: (id, o = {}) => control(`/pay/${id}`, { payment_method: o.paymentMethod, follow: o.follow }),
    decline: (id) => control(`/pay/${id}`, { payment_method: 'pm_card_chargeDeclined' }),
    cancel: (id, reason) => control(`/cancel/${id}`, { reason }),
    settleRefund: (refundId, to) => control(`/refunds/${refundId}/${to === 'succeeded' ? 'succeed' : 'fail'}`),
    deliverEvents: (eventIds, o = {}) => control(`/deliver`, { event_ids: eventIds, ...o }),
    setWebhookEndpoint: async (o) => {
      await control('/webhooks', o);
    },
    dispute: (id) => control(`/disputes/${id}`),
    setFaults: (f) => parts.faults.set(f),
    idle: () => sender.idle(),
    stop: async () => {
      sender.close();
      await sender.idle();
      await server.stop();
    },
  };
}

/** A local Stripe: PaymentIntents, refunds, events with signed webhook delivery and retries, and payer controls. */
export async function startStripeSandbox(opts: StripeSandboxOptions): Promise<StripeSandbox> {
  const clock = opts.clock ?? new SandboxClock();
  const sender = new StripeWebhookSender(
    {
      url: opts.webhookUrl,
      secret: opts.webhookSecret,
      maxAttempts: opts.maxAttempts,
      retryDelaysMs: opts.retryDelaysMs,
      timeoutMs: opts.webhookTimeoutMs,
    },
    clock,
  );
  const settings: EventSettings = { enabled: opts.enabledEvents ?? DEFAULT_ENABLED_EVENTS, autoDeliver: opts.autoDeliver ?? true };
  const parts: SandboxParts = { clock, sender, settings, events: new Map(), current: { request: null }, faults: { set: () => undefined } };
  const store = eventingStore(parts);
  const server = await listenSandbox(sandboxApp(opts, store, parts), { port: opts.port, host: opts.host });
  return sandboxHandle(server, store, parts);
}
