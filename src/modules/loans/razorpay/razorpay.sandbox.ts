import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { signRazorpayWebhook, type PaymentLink } from './razorpay-links';
import { listenSandbox } from '../../../kernel/http/sandbox-server';

/**
 * A local Razorpay for payment links: `POST /v1/payment_links` (Basic auth, paise, unique
 * reference_id), `GET /v1/payment_links?reference_id=`, and `POST /sandbox/payment_links/{id}/pay`
 * ({duplicate?}) which marks the link paid and sends the `payment_link.paid` webhook, signed
 * with the webhook secret over the exact bytes sent, with an `x-razorpay-event-id`.
 */
export interface RazorpaySandbox {
  port: number;
  url: string;
  setWebhookUrl(url: string): void;
  links(): PaymentLink[];
  pay(linkId: string, opts?: { duplicate?: boolean }): Promise<number[]>;
  stop(): Promise<void>;
}

const rid = (prefix: string) => `${prefix}_${randomBytes(7).toString('base64url').replace(/[-_]/g, 'x')}`;

export async function startRazorpaySandbox(
  opts: { port?: number; keyId?: string; keySecret?: string; webhookSecret?: string; webhookUrl?: string } = {},
): Promise<RazorpaySandbox> {
  const expectedAuth = `Basic ${Buffer.from(`${opts.keyId ?? 'rzp_test_sandbox'}:${opts.keySecret ?? 'sandbox-key-secret'}`).toString('base64')}`;
  const secret = opts.webhookSecret ?? 'sandbox-razorpay-webhook-secret';
  let webhookUrl = opts.webhookUrl;
  const links = new Map<string, SandboxLink>();
  const pay: RazorpaySandbox['pay'] = (id, o = {}) => payLink(links.get(id), { secret, webhookUrl }, o);
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const error = (status: number, description: string) =>
      reply(status, {
        error: { code: 'BAD_REQUEST_ERROR', description, source: 'business', step: null, reason: 'input_validation_failed', metadata: {}, field: null },
      });
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payMatch = /^\/sandbox\/payment_links\/([^/]+)\/pay$/.exec(url.pathname);
      if (req.method === 'POST' && payMatch) {
        const o = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
        void pay(payMatch[1], o).then(
          (s) => reply(200, { webhook_statuses: s }),
          (e: Error) => error(404, e.message),
        );
        return;
      }
      if (req.headers.authorization !== expectedAuth) return reply(401, { error: { code: 'BAD_REQUEST_ERROR', description: 'Authentication failed' } });
      if (req.method === 'GET' && url.pathname === '/v1/payment_links') {
        const ref = url.searchParams.get('reference_id');
        return reply(200, { payment_links: [...links.values()].filter((l) => !ref || l.reference_id === ref) });
      }
      if (req.method !== 'POST' || url.pathname !== '/v1/payment_links') return error(404, 'The requested URL was not found on the server.');
      createLink(links, Buffer.concat(chunks), origin, reply, error);
    });
  });
  const { port, url: origin, stop } = await listenSandbox(server, { name: 'Razorpay sandbox', port: opts.port });
  return {
    port,
    url: `${origin}/v1`,
    setWebhookUrl: (u) => {
      webhookUrl = u;
    },
    links: () => [...links.values()],
    pay,
    stop,
  };
}

type SandboxLink = PaymentLink & { amount_paid: number };

/** The customer pays the link: it turns paid and the signed `payment_link.paid` webhook goes out (twice with `duplicate`). */
async function payLink(link: SandboxLink | undefined, target: { secret: string; webhookUrl?: string }, o: { duplicate?: boolean }): Promise<number[]> {
  const webhookUrl = target.webhookUrl;
  if (!link || !webhookUrl) throw new Error('Razorpay sandbox: unknown link or no webhook URL');
  link.status = 'paid';
  link.amount_paid = link.amount;
  const paymentId = rid('pay');
  const body = JSON.stringify({
    entity: 'event',
    account_id: 'acc_sandbox',
    event: 'payment_link.paid',
    contains: ['payment_link', 'order', 'payment'],
    payload: {
      payment_link: { entity: link },
      payment: { entity: { id: paymentId, entity: 'payment', amount: link.amount, currency: 'INR', status: 'captured', method: 'upi' } },
    },
    created_at: Math.floor(Date.now() / 1000),
  });
  const headers = { 'content-type': 'application/json', 'x-razorpay-signature': signRazorpayWebhook(target.secret, body), 'x-razorpay-event-id': rid('evt') };
  const statuses: number[] = [];
  for (let i = 0; i < (o.duplicate ? 2 : 1); i++) statuses.push((await fetch(webhookUrl, { method: 'POST', headers, body })).status);
  return statuses;
}

/** `POST /v1/payment_links` as Razorpay validates it: paise ≥ 100, INR, a unique reference_id ≤ 40. */
function createLink(
  links: Map<string, SandboxLink>,
  raw: Buffer,
  origin: string,
  reply: (status: number, body: object) => void,
  error: (status: number, description: string) => void,
) {
  let b: { amount?: number; reference_id?: string; currency?: string };
  try {
    b = JSON.parse(raw.toString());
  } catch {
    return error(400, 'Invalid JSON');
  }
  if (!Number.isInteger(b.amount) || b.amount! < 100) return error(400, 'The amount must be at least INR 1.00');
  if (b.currency !== 'INR') return error(400, 'Currency is not supported');
  if (!b.reference_id || b.reference_id.length > 40) return error(400, 'reference_id is invalid');
  if ([...links.values()].some((l) => l.reference_id === b.reference_id)) return error(400, `Payment Link with reference_id ${b.reference_id} already exists`);
  const id = rid('plink');
  const link = {
    ...b,
    id,
    short_url: `${origin}/i/${id}`,
    status: 'created',
    amount_paid: 0,
  } as SandboxLink;
  links.set(id, link);
  reply(200, link);
}
