import http from 'node:http';
import { listenSandbox } from '../../../../kernel/http/sandbox-server';

/**
 * A local stand-in for Sparrow SMS v2 (api.sparrowsms.com): same paths, fields, codes and bodies.
 *   POST|GET /v2/sms/      token, from, to (comma-separated 10-digit numbers), text
 *   GET      /v2/credit/   token
 * plus an inbox for tests and developers:
 *   GET    /sandbox/messages?to=98XXXXXXXX   messages received (newest last)
 *   DELETE /sandbox/messages                 empties the inbox
 *   POST   /sandbox/fail-next {count, status?, code?, to?}  the next `count` sends (to `to`, if given) fail
 *                                            with HTTP `status` (500) and response_code `code` (= status)
 */
export interface SandboxSms {
  id: number;
  from: string;
  to: string;
  text: string;
  receivedAt: string;
}

export interface SmsSandboxOptions {
  port?: number;
  host?: string;
  /** Accepted tokens (default: `sandbox-token`). */
  tokens?: string[];
  /** Approved sender identities; any non-empty sender when omitted. */
  senders?: string[];
  credits?: number;
}

export interface SmsSandbox {
  port: number;
  /** Base URL for SPARROW_BASE_URL, e.g. http://127.0.0.1:4010/v2 */
  url: string;
  messages(to?: string): SandboxSms[];
  failNext(count: number, status?: number, to?: string, code?: number): void;
  /** Answer sends this much later than the message lands in the inbox (a slow gateway response). */
  setResponseDelay(ms: number): void;
  stop(): Promise<void>;
}

const RECEIVER = /^9\d{9}$/;

/** The sandbox's account and inbox: what sends change and the controls set. */
interface SmsSandboxState {
  tokens: Set<string>;
  senders?: string[];
  inbox: SandboxSms[];
  credits: number;
  consumed: number;
  responseDelayMs: number;
  failures: { count: number; status: number; code?: number; to?: string };
  seq: number;
}

/** A send as Sparrow answers it, [HTTP status, body]; each valid receiver gets the message in the inbox. */
function send(state: SmsSandboxState, p: Record<string, string | undefined>): [number, object] {
  const { tokens, failures } = state;
  if (failures.count > 0 && (!failures.to || (p.to ?? '').split(',').includes(failures.to))) {
    failures.count -= 1;
    return [failures.status, { response_code: failures.code ?? failures.status, response: 'Sandbox: injected failure' }];
  }
  const missing = ['token', 'from', 'to', 'text'].find((k) => p[k] === undefined);
  if (missing) return [403, { response_code: 1000, response: `A required field is missing: ${missing}` }];
  if (!tokens.has(p.token!)) return [403, { response_code: 1002, response: 'Invalid Token' }];
  if (!p.from || (state.senders && !state.senders.includes(p.from))) return [403, { response_code: 1008, response: 'Invalid Sender' }];
  if (!p.text!.trim()) return [403, { response_code: 1010, response: 'Text cannot be empty' }];
  const receivers = p
    .to!.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const valid = receivers.filter((r) => RECEIVER.test(r));
  if (valid.length === 0) {
    return receivers.length > 1 ? [403, { response_code: 1011, response: 'No valid receiver' }] : [403, { response_code: 1007, response: 'Invalid Receiver' }];
  }
  if (state.credits < valid.length) return [403, { response_code: 1013, response: 'Insufficient Credits' }];
  state.credits -= valid.length;
  state.consumed += valid.length;
  for (const to of valid) state.inbox.push({ id: ++state.seq, from: p.from, to, text: p.text!, receivedAt: new Date().toISOString() });
  return [200, { count: valid.length, response_code: 200, response: `${valid.length} mesages has been queued for delivery` }];
}

/** The inbox, or the messages to one number (given with or without +977). */
function list(state: SmsSandboxState, to?: string): SandboxSms[] {
  return to ? state.inbox.filter((m) => m.to === to.replace(/^\+977/, '')) : [...state.inbox];
}

type Reply = (status: number, body: object) => void;

/** Sparrow's endpoints (/v2/sms, /v2/credit) and the sandbox's own (/sandbox/messages, /sandbox/fail-next). */
function route(state: SmsSandboxState, method: string | undefined, path: string, params: Record<string, string | undefined>, reply: Reply): void {
  if (path === '/v2/sms' && (method === 'POST' || method === 'GET')) {
    const answer = send(state, params);
    return state.responseDelayMs ? void setTimeout(() => reply(...answer), state.responseDelayMs) : reply(...answer);
  }
  if (path === '/v2/credit' && method === 'GET') {
    if (!state.tokens.has(params.token ?? '')) return reply(403, { response_code: 1002, response: 'Invalid Token' });
    return reply(200, { credits_available: state.credits, credits_consumed: state.consumed, response_code: 200 });
  }
  if (path === '/sandbox/messages' && method === 'GET') return reply(200, { messages: list(state, params.to) });
  if (path === '/sandbox/messages' && method === 'DELETE') {
    state.inbox.length = 0;
    return reply(200, { ok: true });
  }
  if (path === '/sandbox/fail-next' && method === 'POST') {
    state.failures = {
      count: Number(params.count ?? 1),
      status: Number(params.status ?? 500),
      code: params.code ? Number(params.code) : undefined,
      to: params.to?.replace(/^\+977/, ''),
    };
    return reply(200, { ok: true });
  }
  reply(404, { response_code: 404, response: 'Not found' });
}

/** Reads a request's params (the query, overlaid by a JSON or form body) and answers it. */
function serve(state: SmsSandboxState, req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const raw = Buffer.concat(chunks).toString('utf8');
    const params: Record<string, string | undefined> = Object.fromEntries(url.searchParams);
    if (raw) {
      const isJson = (req.headers['content-type'] ?? '').includes('json');
      try {
        Object.assign(params, isJson ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw)));
      } catch {
        return reply(400, { response_code: 1000, response: 'Malformed body' });
      }
    }
    const path = url.pathname.replace(/\/+$/, '');
    route(state, req.method, path, params, reply);
  });

  function reply(status: number, body: object) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

export async function startSmsSandbox(opts: SmsSandboxOptions = {}): Promise<SmsSandbox> {
  const state: SmsSandboxState = {
    tokens: new Set(opts.tokens ?? ['sandbox-token']),
    senders: opts.senders,
    inbox: [],
    credits: opts.credits ?? 100_000,
    consumed: 0,
    responseDelayMs: 0,
    failures: { count: 0, status: 500 },
    seq: 0,
  };
  const server = http.createServer((req, res) => serve(state, req, res));
  const { port, url, stop } = await listenSandbox(server, { name: 'Sparrow SMS sandbox', host: opts.host, port: opts.port });
  return {
    port,
    url: `${url}/v2`,
    messages: (to) => list(state, to),
    failNext: (count, status = 500, to, code) => {
      state.failures = { count, status, code, to: to?.replace(/^\+977/, '') };
    },
    setResponseDelay: (ms) => {
      state.responseDelayMs = ms;
    },
    stop,
  };
}
