import http from 'node:http';
import { SmsDeliveryError, type SmsMessage, type SmsReceipt, type SmsSender } from './sms-sender';
import { listenSandbox } from '../../../kernel/http/sandbox-server';

/**
 * SMS for countries without a provider adapter of their own yet (Mongolia, seed 000): a plain
 * JSON request `POST <url> {to (E.164), text}` with `Authorization: Bearer <token>`, 2xx = queued.
 * It is the integration point a local aggregator's adapter replaces; the sandbox below speaks it.
 */
export class HttpSmsSender implements SmsSender {
  constructor(private readonly opts: { url: string; token: string; timeoutMs?: number }) {}

  async send(message: SmsMessage): Promise<SmsReceipt> {
    let res: Response;
    try {
      res = await fetch(this.opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.opts.token}` },
        body: JSON.stringify({ to: message.to, text: message.text }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new SmsDeliveryError(`SMS gateway unreachable: ${(err as Error).message}`, true);
    }
    const body = await res.text();
    if (res.ok) return { provider: 'http-sms', accepted: 1, response: body.slice(0, 200) };
    throw new SmsDeliveryError(`SMS gateway refused (${res.status}): ${body.slice(0, 200)}`, res.status >= 500 || res.status === 429, res.status);
  }
}

export interface HttpSmsSandbox {
  url: string;
  port: number;
  messages(to?: string): { to: string; text: string }[];
  stop(): Promise<void>;
}

/** The HTTP SMS sandbox: `POST /sms` as above (token `sandbox-token`), `GET /sandbox/messages?to=+976...`. */
export async function startHttpSmsSandbox(opts: { port?: number } = {}): Promise<HttpSmsSandbox> {
  const inbox: { to: string; text: string }[] = [];
  const list = (to?: string | null) => (to ? inbox.filter((m) => m.to === to) : [...inbox]);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const reply = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'GET' && url.pathname === '/sandbox/messages') return reply(200, { messages: list(url.searchParams.get('to')) });
      if (req.method !== 'POST' || url.pathname !== '/sms') return reply(404, { error: 'not found' });
      if (req.headers.authorization !== 'Bearer sandbox-token') return reply(401, { error: 'invalid token' });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { to?: string; text?: string };
      if (!body.to || !/^\+\d{8,15}$/.test(body.to) || !body.text) return reply(400, { error: 'to (E.164) and text are required' });
      inbox.push({ to: body.to, text: body.text });
      return reply(202, { queued: 1 });
    });
  });
  const { port, url, stop } = await listenSandbox(server, { name: 'HTTP SMS sandbox', port: opts.port });
  return {
    url: `${url}/sms`,
    port,
    messages: list,
    stop,
  };
}
