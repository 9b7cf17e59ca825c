import express from 'express';
import { SandboxClock } from '../sandbox/clock';
import { followRedirect, isFormPost, type FollowedRedirect } from '../sandbox/browser';
import { renderPage } from '../sandbox/page';
import { sandboxControl } from '../sandbox/control';
import { listenSandbox } from '../../../../kernel/http/sandbox-server';
import { sandboxFaults, type SandboxFault } from '../sandbox/faults';
import { KHALTI_PATHS, lookupHttpStatus, toNepalIso, type KhaltiInitiateResponse, type KhaltiStatus } from './khalti.protocol';
import { KhaltiSandboxState, maskMobile, validateInitiate, type KhaltiSandboxPayment } from './khalti.sandbox-state';

export interface KhaltiSandboxOptions {
  port?: number;
  host?: string;
  /** The merchant's secret; requests must carry `Authorization: Key <secretKey>`. */
  secretKey: string;
  /** Seconds until an unpaid link expires (Khalti's sample says 1800). */
  expiresInSeconds?: number;
  /** Fee Khalti reports in lookup, percent of the amount (default 0). */
  feePercent?: number;
  clock?: SandboxClock;
}

export interface KhaltiPayOptions {
  /** 'Completed' (default) or 'Pending' (Khalti holds the payment). */
  outcome?: 'Completed' | 'Pending';
  /** The payer's Khalti id (published test ids 9800000000–9800000005). */
  mobile?: string;
  /** Also play the browser: GET the return_url from the sandbox and report what it answered. */
  follow?: boolean;
}

export interface KhaltiControlResult {
  pidx: string;
  status: KhaltiStatus;
  redirect_url: string | null;
  callback?: FollowedRedirect;
}

export interface KhaltiSandbox {
  url: string;
  port: number;
  clock: SandboxClock;
  state: KhaltiSandboxState;
  pay(pidx: string, opts?: KhaltiPayOptions): Promise<KhaltiControlResult>;
  cancel(pidx: string, opts?: { follow?: boolean }): Promise<KhaltiControlResult>;
  expire(pidx: string): Promise<KhaltiControlResult>;
  /** Outages of the merchant API on demand (5xx, slow answers); `[]` clears them. */
  setFaults(faults: SandboxFault[]): void;
  stop(): Promise<void>;
}

const AUTH_MISSING = { detail: 'Authentication credentials were not provided.', status_code: 401 };
const AUTH_INVALID = { detail: 'Invalid token.', status_code: 401 };
const NOT_FOUND = { detail: 'Not found.', error_key: 'validation_error' };

/** Khalti's merchant auth: `Authorization: Key <secretKey>`. */
function keyAuth(secretKey: string): express.RequestHandler {
  return (req, res, next) => {
    const m = /^Key\s+(\S+)$/.exec(req.header('authorization') ?? '');
    if (!m) return void res.status(401).json(AUTH_MISSING);
    if (m[1] !== secretKey) return void res.status(401).json(AUTH_INVALID);
    next();
  };
}

/** The merchant API: initiate (its payment_url on `baseUrl()`), lookup and refund. */
function merchantApiRoutes(app: express.Express, state: KhaltiSandboxState, auth: express.RequestHandler, baseUrl: () => string): void {
  app.post(KHALTI_PATHS.initiate, auth, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { errors, amount } = validateInitiate(body);
    if (errors) return void res.status(400).json({ ...errors, error_key: 'validation_error' });
    const merchantExtra = Object.fromEntries(Object.entries(body).filter(([k]) => k.startsWith('merchant_')));
    const p = state.create({
      amount: amount!,
      purchaseOrderId: String(body.purchase_order_id),
      purchaseOrderName: String(body.purchase_order_name),
      returnUrl: String(body.return_url),
      websiteUrl: String(body.website_url),
      merchantExtra,
    });
    const reply: KhaltiInitiateResponse = {
      pidx: p.pidx,
      payment_url: `${baseUrl()}/?pidx=${p.pidx}`,
      expires_at: toNepalIso(p.expiresAt),
      expires_in: Math.round((p.expiresAt - p.createdAt) / 1000),
    };
    res.json(reply);
  });

  app.post(KHALTI_PATHS.lookup, auth, (req, res) => {
    const pidx = (req.body as { pidx?: unknown } | undefined)?.pidx;
    if (typeof pidx !== 'string' || !pidx) return void res.status(400).json({ pidx: ['This field is required.'], error_key: 'validation_error' });
    const p = state.get(pidx);
    if (!p) return void res.status(404).json(NOT_FOUND);
    res.status(lookupHttpStatus(p.status)).json(state.lookupBody(p));
  });

  app.post('/api/merchant-transaction/:transactionId/refund/', auth, (req, res) => {
    const p = state.byTransactionId(String(req.params.transactionId));
    if (!p) return void res.status(404).json(NOT_FOUND);
    const raw = (req.body as { amount?: unknown } | undefined)?.amount;
    const amount = raw === undefined || raw === null || raw === '' ? undefined : Number(raw);
    const error = state.refund(p, amount);
    if (error) return void res.status(400).json({ detail: error, error_key: 'validation_error' });
    res.json({ detail: 'Transaction refund successful.' });
  });
}

/** The hosted payment page (pay.khalti.com/?pidx=…). */
function paymentPageRoute(app: express.Express, state: KhaltiSandboxState): void {
  app.get('/', (req, res) => {
    const p = state.get(String(req.query.pidx ?? ''));
    if (!p) return void res.status(404).type('html').send('<h1>Payment not found</h1>');
    const open = p.status === 'Initiated';
    res.type('html').send(
      renderPage({
        gateway: 'Khalti',
        title: p.purchaseOrderName,
        rows: [
          ['Amount (NPR)', (p.amount / 100).toFixed(2)],
          ['Order', p.purchaseOrderId],
          ['Status', p.status],
          ['Expires', toNepalIso(p.expiresAt)],
        ],
        actions: open
          ? [
              { label: 'Pay with Khalti (9800000000)', action: `/__sandbox/pay/${p.pidx}`, tone: 'primary' },
              { label: 'Cancel', action: `/__sandbox/cancel/${p.pidx}`, tone: 'danger' },
            ]
          : [],
        note: open ? 'Test ids 9800000000–9800000005, MPIN 1111, OTP 987654.' : `This payment is ${p.status}.`,
      }),
    );
  });
}

/** Answers a payer move: a redirect for the HTML page, JSON (optionally after following it) for tests. */
async function answer(
  state: KhaltiSandboxState,
  req: express.Request,
  res: express.Response,
  p: KhaltiSandboxPayment,
  error: string | undefined,
  redirects: boolean,
) {
  const form = isFormPost(req.header('content-type'));
  if (error) {
    if (form) return void res.status(409).type('html').send(`<h1>${error}</h1>`);
    return void res.status(409).json({ detail: error, pidx: p.pidx, status: p.status });
  }
  const location = redirects ? state.returnUrl(p) : null;
  if (location && (form || req.query.redirect === '1')) return void res.redirect(302, location);
  const body: KhaltiControlResult = { pidx: p.pidx, status: p.status, redirect_url: location };
  const follow = (req.body as { follow?: unknown } | undefined)?.follow === true || req.query.follow === '1';
  if (location && follow) body.callback = await followRedirect(location);
  res.json(body);
}

/** Payer moves under /__sandbox: pay, cancel, and abandon (expire). */
function sandboxControlRoutes(app: express.Express, state: KhaltiSandboxState): void {
  app.post('/__sandbox/pay/:pidx', async (req, res) => {
    const p = state.get(req.params.pidx);
    if (!p) return void res.status(404).json(NOT_FOUND);
    const b = (req.body ?? {}) as { outcome?: string; mobile?: string };
    const outcome = b.outcome === 'Pending' ? 'Pending' : 'Completed';
    // A held payment that Khalti completes later sends nobody anywhere: the payer's browser left long ago.
    const redirects = p.status !== 'Pending';
    await answer(state, req, res, p, state.pay(p, outcome, maskMobile(b.mobile ?? '9800000000')), redirects);
  });
  app.post('/__sandbox/cancel/:pidx', async (req, res) => {
    const p = state.get(req.params.pidx);
    if (!p) return void res.status(404).json(NOT_FOUND);
    await answer(state, req, res, p, state.cancel(p), true);
  });
  // Abandoned: the payer never comes back, so there is no redirect.
  app.post('/__sandbox/expire/:pidx', async (req, res) => {
    const p = state.get(req.params.pidx);
    if (!p) return void res.status(404).json(NOT_FOUND);
    await answer(state, req, res, p, state.expire(p), false);
  });
}

/** Django REST framework's answer to a body it cannot parse. */
function parseErrors(err: { type?: string; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) {
  if (err?.type === 'entity.parse.failed') return void res.status(400).json({ detail: `JSON parse error - ${err.message}`, error_key: 'validation_error' });
  res.status(500).json({ detail: 'Internal server error.' });
}

/** A local Khalti KPG-2: initiate, lookup, refund, a payment page, and payer controls under /__sandbox. */
export async function startKhaltiSandbox(opts: KhaltiSandboxOptions): Promise<KhaltiSandbox> {
  const clock = opts.clock ?? new SandboxClock();
  const state = new KhaltiSandboxState(clock, { expiresInSeconds: opts.expiresInSeconds ?? 1800, feePercent: opts.feePercent ?? 0 });
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));
  app.use(express.urlencoded({ extended: false }));
  const faults = sandboxFaults(app);
  let baseUrl = '';
  merchantApiRoutes(app, state, keyAuth(opts.secretKey), () => baseUrl);
  paymentPageRoute(app, state);
  sandboxControlRoutes(app, state);
  app.use(parseErrors);

  const server = await listenSandbox(app, { port: opts.port, host: opts.host });
  baseUrl = server.url;
  const send = sandboxControl('khalti', server.url);
  const control = (path: string, body: object = {}) => send<KhaltiControlResult>(path, body);
  return {
    url: server.url,
    port: server.port,
    clock,
    state,
    stop: server.stop,
    pay: (pidx, o = {}) => control(`/__sandbox/pay/${pidx}`, o),
    cancel: (pidx, o = {}) => control(`/__sandbox/cancel/${pidx}`, o),
    expire: (pidx) => control(`/__sandbox/expire/${pidx}`),
    setFaults: faults.set,
  };
}
