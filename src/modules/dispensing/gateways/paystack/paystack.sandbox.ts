import { randomBytes, randomInt } from 'node:crypto';
import express from 'express';
import { listenSandbox } from '../../../../kernel/http/sandbox-server';
import { renderSandboxPage } from '../page';
import { paystackSignature } from './paystack.client';

interface SandboxTransaction {
  id: number;
  reference: string;
  accessCode: string;
  email: string;
  amount: number;
  currency: string;
  callbackUrl?: string;
  metadata: unknown;
  status: 'ongoing' | 'success' | 'failed' | 'abandoned';
  channel?: string;
  paidAt?: string;
  createdAt: string;
}

export interface PaystackSandbox {
  url: string;
  /** The dashboard's webhook URL (set after the API listens). */
  webhookUrl?: string;
  /** The customer pays (or fails) on the hosted page; the webhook is sent (signed) unless `lose`. Returns the webhook's raw body. */
  pay(reference: string, opts?: { outcome?: 'success' | 'failed'; lose?: boolean }): Promise<string>;
  /** Sends the same webhook again (Paystack retries). */
  resend(raw: string): Promise<number>;
  stop(): Promise<void>;
}

const envelope = (status: boolean, message: string, data?: unknown) => ({ status, message, ...(data === undefined ? {} : { data }) });

function transactionData(t: SandboxTransaction) {
  return {
    id: t.id,
    domain: 'test',
    status: t.status,
    reference: t.reference,
    amount: t.amount,
    currency: t.currency,
    gateway_response: t.status === 'success' ? 'Successful' : t.status === 'failed' ? 'Declined' : 'The transaction was not completed',
    paid_at: t.paidAt ?? null,
    created_at: t.createdAt,
    channel: t.channel ?? 'card',
    fees: t.status === 'success' ? Math.round(t.amount * 0.015) : null,
    metadata: t.metadata,
    customer: { id: 1, email: t.email, customer_code: 'CUS_sandbox' },
    authorization: t.status === 'success' ? { authorization_code: 'AUTH_sandbox', bin: '408408', last4: '4081', brand: 'visa', reusable: true } : null,
  };
}

function apiRoutes(app: express.Express, secretKey: string, txs: Map<string, SandboxTransaction>, baseUrl: () => string) {
  const auth: express.RequestHandler = (req, res, next) =>
    req.header('authorization') === `Bearer ${secretKey}` ? next() : void res.status(401).json(envelope(false, 'Invalid key'));
  app.post('/transaction/initialize', auth, (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (typeof b.email !== 'string' || !b.email.includes('@')) return void res.status(400).json(envelope(false, 'Invalid Email Address Passed'));
    const amount = Number(b.amount);
    if (!Number.isInteger(amount) || amount <= 0) return void res.status(400).json(envelope(false, 'Invalid Amount Sent'));
    const reference = typeof b.reference === 'string' ? b.reference : randomBytes(8).toString('hex');
    if (txs.has(reference)) return void res.status(400).json(envelope(false, 'Duplicate Transaction Reference'));
    const t: SandboxTransaction = {
      id: randomInt(1_000_000, 9_999_999),
      reference,
      accessCode: randomBytes(8).toString('hex'),
      email: b.email,
      amount,
      currency: typeof b.currency === 'string' ? b.currency : 'NGN',
      callbackUrl: typeof b.callback_url === 'string' ? b.callback_url : undefined,
      metadata: b.metadata ?? null,
      status: 'ongoing',
      createdAt: new Date().toISOString(),
    };
    txs.set(reference, t);
    res.json(envelope(true, 'Authorization URL created', { authorization_url: `${baseUrl()}/checkout/${t.accessCode}`, access_code: t.accessCode, reference }));
  });
  app.get('/transaction/verify/:reference', auth, (req, res) => {
    const t = txs.get(req.params.reference as string);
    if (!t) return void res.status(400).json(envelope(false, 'Transaction reference not found'));
    res.json(envelope(true, 'Verification successful', transactionData(t)));
  });
}

/** A local Paystack: initialize, verify, the hosted checkout page, and signed `charge.success` webhooks. */
export async function startPaystackSandbox(o: { host?: string; port?: number; secretKey: string; webhookUrl?: string }): Promise<PaystackSandbox> {
  const txs = new Map<string, SandboxTransaction>();
  const app = express();
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  let url = '';
  apiRoutes(app, o.secretKey, txs, () => url);
  const send = async (raw: string) => {
    if (!sandbox.webhookUrl) return 0;
    const res = await fetch(sandbox.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-paystack-signature': paystackSignature(o.secretKey, raw) },
      body: raw,
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    return res?.status ?? 0;
  };
  const pay = async (reference: string, opts: { outcome?: 'success' | 'failed'; lose?: boolean } = {}) => {
    const t = txs.get(reference);
    if (!t) throw new Error(`no Paystack transaction ${reference}`);
    if (t.status === 'ongoing') Object.assign(t, { status: opts.outcome ?? 'success', paidAt: new Date().toISOString(), channel: 'card' });
    const raw = JSON.stringify({ event: t.status === 'success' ? 'charge.success' : 'charge.failed', data: transactionData(t) });
    if (!opts.lose) await send(raw);
    return raw;
  };
  app.get('/checkout/:accessCode', (req, res) => {
    const t = [...txs.values()].find((x) => x.accessCode === req.params.accessCode);
    if (!t) return void res.status(404).type('html').send('<h1>Not found</h1>');
    const act = (label: string, outcome: string, tone?: 'primary' | 'danger') => ({
      label,
      action: `/checkout/${t.accessCode}/pay`,
      fields: { outcome },
      tone,
    });
    res.type('html').send(
      renderSandboxPage({
        gateway: 'Paystack',
        title: t.status === 'ongoing' ? 'Pay with card 4084 0840 8408 4081' : `Transaction ${t.status}`,
        rows: [
          ['Amount', `${t.currency} ${(t.amount / 100).toFixed(2)}`],
          ['Email', t.email],
          ['Reference', t.reference],
        ],
        actions: t.status === 'ongoing' ? [act('Pay', 'success', 'primary'), act('Decline', 'failed', 'danger')] : [],
      }),
    );
  });
  app.post('/checkout/:accessCode/pay', async (req, res) => {
    const t = [...txs.values()].find((x) => x.accessCode === req.params.accessCode);
    if (!t) return void res.status(404).end();
    await pay(t.reference, { outcome: (req.body as { outcome?: string }).outcome === 'failed' ? 'failed' : 'success' });
    res.redirect(303, t.callbackUrl ? `${t.callbackUrl}?trxref=${t.reference}&reference=${t.reference}` : `/checkout/${t.accessCode}`);
  });
  const server = await listenSandbox(app, o);
  url = server.url;
  const sandbox: PaystackSandbox = { url, webhookUrl: o.webhookUrl, pay, resend: send, stop: server.stop };
  return sandbox;
}
