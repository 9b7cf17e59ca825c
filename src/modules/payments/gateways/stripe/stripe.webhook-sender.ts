import { createHmac } from 'node:crypto';
import type { SandboxClock } from '../sandbox/clock';
import type { StripeEventObject } from './stripe.sandbox-objects';

export interface DeliveryRecord {
  eventId: string;
  type: string;
  attempt: number;
  /** HTTP status the endpoint answered; 0 when the connection failed or timed out. */
  status: number;
  ok: boolean;
  error?: string;
  at: number;
}

export interface WebhookEndpointOptions {
  url?: string;
  secret: string;
  /** Attempts per event for automatic delivery (Stripe test mode retries a few times). */
  maxAttempts?: number;
  /** Wait before attempt 2, 3, …; the last value repeats. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

/** `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`, exactly what Stripe sends. */
export function stripeSignatureHeader(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** Sends events to one endpoint, signed, retrying on non-2xx; keeps a log of every attempt. */
export class StripeWebhookSender {
  readonly deliveries: DeliveryRecord[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private endpoint: { url: string | undefined; secret: string; maxAttempts: number; retryDelaysMs: number[]; timeoutMs: number };
  private closed = false;
  private readonly sleepers = new Set<() => void>();

  constructor(
    opts: WebhookEndpointOptions,
    private readonly clock: SandboxClock,
  ) {
    this.endpoint = {
      url: opts.url,
      secret: opts.secret,
      maxAttempts: opts.maxAttempts ?? 3,
      retryDelaysMs: opts.retryDelaysMs ?? [500, 2000],
      timeoutMs: opts.timeoutMs ?? 10_000,
    };
  }

  configure(opts: Partial<WebhookEndpointOptions>): void {
    this.endpoint = { ...this.endpoint, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) };
  }

  /** Stops retrying: pending waits end at once and no further attempt is made. */
  close(): void {
    this.closed = true;
    for (const wake of this.sleepers) wake();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  get url(): string | undefined {
    return this.endpoint.url;
  }

  /** One POST of the event, signed at the sandbox's current time. */
  async attempt(event: StripeEventObject, attempt: number): Promise<DeliveryRecord> {
    const url = this.endpoint.url;
    const base = { eventId: event.id, type: event.type, attempt, at: this.clock.now() };
    if (!url) return this.log({ ...base, status: 0, ok: false, error: 'no webhook endpoint configured' });
    const payload = JSON.stringify(event, null, 2);
    const header = stripeSignatureHeader(payload, this.endpoint.secret, Math.floor(this.clock.now() / 1000));
    try {
      const res = await fetch(url, {
        method: 'POST',
        body: payload,
        signal: AbortSignal.timeout(this.endpoint.timeoutMs),
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Stripe-Signature': header,
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          Accept: '*/*; q=0.5, application/xml',
        },
      });
      await res.arrayBuffer().catch(() => undefined);
      return this.log({ ...base, status: res.status, ok: res.status >= 200 && res.status < 300 });
    } catch (err) {
      return this.log({ ...base, status: 0, ok: false, error: (err as Error).message });
    }
  }

  /** Delivers with retries until a 2xx or maxAttempts; resolves with the attempts made. */
  async deliverWithRetries(event: StripeEventObject): Promise<DeliveryRecord[]> {
    const records: DeliveryRecord[] = [];
    for (let attempt = 1; attempt <= this.endpoint.maxAttempts && !this.closed; attempt++) {
      const r = await this.attempt(event, attempt);
      records.push(r);
      if (r.ok) break;
      if (attempt < this.endpoint.maxAttempts) {
        const delays = this.endpoint.retryDelaysMs;
        await this.sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 0);
      }
    }
    return records;
  }

  /** Fire-and-forget automatic delivery (tracked so `idle()` can wait for it). */
  schedule(event: StripeEventObject): void {
    const p = this.deliverWithRetries(event).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Redelivers on demand: `times` copies, all at once (`concurrent`) or one after another. */
  async deliver(events: StripeEventObject[], opts: { times?: number; concurrent?: boolean; retries?: boolean } = {}): Promise<DeliveryRecord[]> {
    const jobs: StripeEventObject[] = [];
    for (const e of events) for (let i = 0; i < (opts.times ?? 1); i++) jobs.push(e);
    const send = (e: StripeEventObject) => (opts.retries ? this.deliverWithRetries(e) : this.attempt(e, 1).then((r) => [r]));
    if (opts.concurrent) return (await Promise.all(jobs.map(send))).flat();
    const out: DeliveryRecord[] = [];
    for (const e of jobs) out.push(...(await send(e)));
    return out;
  }

  /** Resolves when no automatic delivery (including pending retries) is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private log(r: DeliveryRecord): DeliveryRecord {
    this.deliveries.push(r);
    return r;
  }
}
