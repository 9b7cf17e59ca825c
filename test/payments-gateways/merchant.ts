import express from 'express';
import { listenSandbox, type RunningSandbox } from '../../src/kernel/http/sandbox-server';
import type { PaymentGateway, VerifiedNotification } from '../../src/modules/payments/gateways/gateway';

export interface WebhookHit {
  status: number;
  signature?: string;
  raw: string;
  verified?: VerifiedNotification;
  error?: string;
}

/**
 * A merchant site for the sandboxes to talk to: return/failure pages the "browser" lands on and a
 * webhook endpoint that verifies with the adapter over the raw body, the way the money routes will.
 */
export interface Merchant {
  url: string;
  returns: Record<string, string>[];
  failures: Record<string, string>[];
  webhooks: WebhookHit[];
  /** The next n webhook posts are answered 500 before verification. */
  failNextWebhooks(n: number): void;
  gateway?: PaymentGateway;
  stop(): Promise<void>;
}

export async function startMerchant(gateway?: PaymentGateway): Promise<Merchant> {
  const app = express();
  const m = { returns: [], failures: [], webhooks: [], gateway } as unknown as Merchant;
  let failing = 0;
  app.get('/return', (req, res) => {
    m.returns.push(req.query as Record<string, string>);
    res.type('html').send('<p>thanks</p>');
  });
  app.get('/failure', (req, res) => {
    m.failures.push(req.query as Record<string, string>);
    res.type('html').send('<p>payment failed</p>');
  });
  app.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
    const raw = req.body as Buffer;
    const hit: WebhookHit = { status: 0, signature: req.header('stripe-signature'), raw: raw.toString('utf8') };
    m.webhooks.push(hit);
    if (failing > 0) {
      failing--;
      hit.status = 500;
      return void res.status(500).send('try again later');
    }
    try {
      hit.verified = await m.gateway!.verifyNotification({ headers: req.headers, rawBody: raw });
      hit.status = 200;
      res.json({ received: true });
    } catch (err) {
      hit.status = 400;
      hit.error = (err as Error).message;
      res.status(400).json({ error: hit.error });
    }
  });
  const server: RunningSandbox = await listenSandbox(app);
  m.url = server.url;
  m.failNextWebhooks = (n) => {
    failing = n;
  };
  m.stop = server.stop;
  return m;
}

/** Polls until `check` returns a truthy value (or fails after timeoutMs). */
export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 15));
  }
}
