import http from 'node:http';
import { listenSandbox } from '../../../../kernel/http/sandbox-server';

/**
 * A local stand-in for MSG91's Flow API v5 (control.msg91.com): same path, header and bodies.
 *   POST /api/v5/flow   header authkey; {template_id, recipients: [{mobiles: "91XXXXXXXXXX", <vars>}]}
 * plus an inbox: GET /sandbox/messages?to=91XXXXXXXXXX, DELETE /sandbox/messages.
 * The message text is the template's `text` variable (the only template it knows).
 */
export interface Msg91SandboxMessage {
  id: number;
  requestId: string;
  to: string;
  text: string;
  receivedAt: string;
}

export interface Msg91Sandbox {
  port: number;
  url: string;
  messages(to?: string): Msg91SandboxMessage[];
  stop(): Promise<void>;
}

const INDIAN_MOBILE = /^91[6-9]\d{9}$/;

function flow(state: { inbox: Msg91SandboxMessage[]; seq: number }, opts: { authKey: string; templateId: string }, authkey: string | undefined, body: unknown) {
  if (authkey !== opts.authKey) return [401, { type: 'error', message: 'Authentication failure' }] as const;
  const b = body as { template_id?: string; recipients?: { mobiles?: string; text?: string }[] };
  if (b?.template_id !== opts.templateId) return [400, { type: 'error', message: 'Invalid template_id' }] as const;
  if (!Array.isArray(b.recipients) || b.recipients.length === 0) return [400, { type: 'error', message: 'recipients are required' }] as const;
  const bad = b.recipients.find((r) => !INDIAN_MOBILE.test(String(r.mobiles ?? '')) || !r.text);
  if (bad) return [400, { type: 'error', message: 'Invalid mobile number or missing variable text' }] as const;
  const requestId = `${Date.now().toString(16)}${(++state.seq).toString(16).padStart(8, '0')}`;
  for (const r of b.recipients) state.inbox.push({ id: state.seq, requestId, to: r.mobiles!, text: r.text!, receivedAt: new Date().toISOString() });
  return [200, { type: 'success', message: requestId }] as const;
}

export async function startMsg91Sandbox(opts: { port?: number; authKey?: string; templateId?: string } = {}): Promise<Msg91Sandbox> {
  const settings = { authKey: opts.authKey ?? 'sandbox-authkey', templateId: opts.templateId ?? 'sandbox-template' };
  const state = { inbox: [] as Msg91SandboxMessage[], seq: 0 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const reply = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/sandbox/messages') {
      if (req.method === 'DELETE') state.inbox.length = 0;
      const to = url.searchParams.get('to');
      return reply(200, { messages: state.inbox.filter((m) => !to || m.to === to.replace(/^\+/, '')) });
    }
    if (req.method !== 'POST' || url.pathname !== '/api/v5/flow') return reply(404, { type: 'error', message: 'Not found' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(400, { type: 'error', message: 'Invalid JSON' });
      }
      const [status, answer] = flow(state, settings, req.headers.authkey as string | undefined, body);
      reply(status, answer);
    });
  });
  const { port, url, stop } = await listenSandbox(server, { name: 'MSG91 sandbox', port: opts.port });
  return {
    port,
    url,
    messages: (to) => state.inbox.filter((m) => !to || m.to === to.replace(/^\+/, '')),
    stop,
  };
}
