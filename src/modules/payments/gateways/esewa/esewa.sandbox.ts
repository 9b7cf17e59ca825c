import express from 'express';
import { rupeeStringToMinor } from '../amounts';
import { followRedirect, isFormPost, type FollowedRedirect } from '../sandbox/browser';
import { SandboxClock } from '../sandbox/clock';
import { escapeHtml, renderPage } from '../sandbox/page';
import { sandboxControl } from '../sandbox/control';
import { listenSandbox } from '../../../../kernel/http/sandbox-server';
import { sandboxFaults, type SandboxFault } from '../sandbox/faults';
import { ESEWA_OUTAGE, ESEWA_PATHS, ESEWA_STATUSES, type EsewaStatus } from './esewa.protocol';
import { EsewaSandboxState, validateForm, type EsewaSandboxTxn } from './esewa.sandbox-state';
import { ESEWA_UAT_PRODUCT_CODE, ESEWA_UAT_SECRET } from './esewa.signature';

export interface EsewaSandboxOptions {
  port?: number;
  host?: string;
  /** product_code → secret key; default the published UAT merchant EPAYTEST. */
  merchants?: Record<string, string>;
  /** An unpaid session is NOT_FOUND after this long (default 30 min). */
  sessionTtlMs?: number;
  clock?: SandboxClock;
}

export interface EsewaControlResult {
  transaction_uuid: string;
  status: EsewaStatus;
  redirect_url: string | null;
  callback?: FollowedRedirect;
}

export interface EsewaSandbox {
  url: string;
  port: number;
  clock: SandboxClock;
  state: EsewaSandboxState;
  /** Plays the browser submitting the merchant's form (what the payer's page does); returns the HTTP status. */
  submitForm(fields: Record<string, string>): Promise<{ status: number; html: string }>;
  pay(uuid: string, opts?: { follow?: boolean }): Promise<EsewaControlResult>;
  cancel(uuid: string, opts?: { follow?: boolean }): Promise<EsewaControlResult>;
  expire(uuid: string): Promise<EsewaControlResult>;
  /** Sets any status eSewa could report (FULL_REFUND, PARTIAL_REFUND, AMBIGUOUS, …). */
  setStatus(uuid: string, status: EsewaStatus): Promise<EsewaControlResult>;
  /** While on, the status API answers the outage body. */
  setOutage(on: boolean): void;
  /** Outages of the status API on demand (5xx, slow answers); `[]` clears them. */
  setFaults(faults: SandboxFault[]): void;
  stop(): Promise<void>;
}

/** The eSewa payment page a payer sees for a session, with its buttons while it is PENDING. */
function page(t: EsewaSandboxTxn): string {
  return renderPage({
    gateway: 'eSewa',
    title: `Pay ${t.productCode}`,
    rows: [
      ['Total (NPR)', t.fields.total_amount],
      ['Transaction', t.uuid],
      ['Status', t.status],
    ],
    actions:
      t.status === 'PENDING'
        ? [
            { label: 'Login and pay (9806800001)', action: `/__sandbox/pay/${t.uuid}`, tone: 'primary' },
            { label: 'Cancel', action: `/__sandbox/cancel/${t.uuid}`, tone: 'danger' },
          ]
        : [],
    note: t.status === 'PENDING' ? 'Test ids 9806800001–9806800005, password Nepal@123, token 123456.' : `This transaction is ${t.status}.`,
  });
}

/** The form endpoint the merchant's page posts to, answered with the payment page (and that page again by id). */
function paymentPageRoutes(app: express.Express, state: EsewaSandboxState, merchants: Record<string, string>): void {
  app.post(ESEWA_PATHS.form, (req, res) => {
    const checked = validateForm((req.body ?? {}) as Record<string, unknown>, merchants);
    if ('error' in checked)
      return void res
        .status(400)
        .type('html')
        .send(`<h1>eSewa</h1><p class="error">${escapeHtml(checked.error)}</p>`);
    const { txn, error } = state.open(checked.fields, checked.totalMinor);
    if (!txn)
      return void res
        .status(409)
        .type('html')
        .send(`<h1>eSewa</h1><p class="error">${escapeHtml(error)}</p>`);
    res.type('html').send(page(txn));
  });

  app.get('/__sandbox/page/:uuid', (req, res) => {
    const t = state.get(req.params.uuid);
    if (!t) return void res.status(404).type('html').send('<h1>Transaction not found</h1>');
    res.type('html').send(page(t));
  });
}

/** The status check the merchant's server calls; it answers the outage body while `outage()` is on. */
function statusApiRoute(app: express.Express, state: EsewaSandboxState, outage: () => boolean): void {
  app.get(ESEWA_PATHS.status, (req, res) => {
    if (outage()) return void res.status(503).json(ESEWA_OUTAGE);
    const { product_code: code, total_amount: total, transaction_uuid: uuid } = req.query as Record<string, string | undefined>;
    if (!code || !total || !uuid) return void res.status(400).json({ code: 0, error_message: 'product_code, total_amount and transaction_uuid are required' });
    let totalMinor: number | undefined;
    try {
      totalMinor = rupeeStringToMinor(total);
    } catch {
      totalMinor = undefined;
    }
    const t = state.get(uuid);
    if (!t || t.productCode !== code || t.totalMinor !== totalMinor) {
      return void res.json({ product_code: code, transaction_uuid: uuid, total_amount: Number(total) || 0, status: 'NOT_FOUND', ref_id: null });
    }
    res.json(state.statusBody(t));
  });
}

/** Moves a session: a redirect for the HTML page, JSON (optionally after following the redirect) for tests. */
async function move(state: EsewaSandboxState, req: express.Request, res: express.Response, to: EsewaStatus, redirect: 'success' | 'failure' | null) {
  const t = state.get(req.params.uuid as string);
  if (!t) return void res.status(404).json({ error_message: 'Transaction not found' });
  const form = isFormPost(req.header('content-type'));
  const error = state.move(t, to);
  if (error)
    return void (form
      ? res
          .status(409)
          .type('html')
          .send(`<h1>${escapeHtml(error)}</h1>`)
      : res.status(409).json({ error_message: error, status: t.status }));
  const location = redirect === 'success' ? state.successRedirect(t) : redirect === 'failure' ? state.failureRedirect(t) : null;
  if (location && (form || req.query.redirect === '1')) return void res.redirect(302, location);
  const body: EsewaControlResult = { transaction_uuid: t.uuid, status: t.status, redirect_url: location };
  if (location && ((req.body as { follow?: unknown })?.follow === true || req.query.follow === '1')) body.callback = await followRedirect(location);
  res.json(body);
}

/** Payer (and eSewa) moves under /__sandbox: pay, cancel, expire, or any status eSewa could report. */
function sandboxControlRoutes(app: express.Express, state: EsewaSandboxState): void {
  app.post('/__sandbox/pay/:uuid', (req, res) => move(state, req, res, 'COMPLETE', 'success'));
  app.post('/__sandbox/cancel/:uuid', (req, res) => move(state, req, res, 'CANCELED', 'failure'));
  app.post('/__sandbox/expire/:uuid', (req, res) => move(state, req, res, 'NOT_FOUND', null));
  app.post('/__sandbox/status/:uuid', (req, res) => {
    const to = (req.body as { status?: string })?.status as EsewaStatus;
    if (!ESEWA_STATUSES.includes(to)) return void res.status(400).json({ error_message: `status must be one of ${ESEWA_STATUSES.join(', ')}` });
    return move(state, req, res, to, null);
  });
}

/** A local eSewa ePay v2: the form endpoint with its payment page, the status check, and payer controls under /__sandbox. */
export async function startEsewaSandbox(opts: EsewaSandboxOptions = {}): Promise<EsewaSandbox> {
  const clock = opts.clock ?? new SandboxClock();
  const merchants = opts.merchants ?? { [ESEWA_UAT_PRODUCT_CODE]: ESEWA_UAT_SECRET };
  const state = new EsewaSandboxState(clock, merchants, opts.sessionTtlMs ?? 30 * 60_000);
  let outage = false;
  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false }));
  app.use(express.json());
  const faults = sandboxFaults(app);
  paymentPageRoutes(app, state, merchants);
  statusApiRoute(app, state, () => outage);
  sandboxControlRoutes(app, state);

  const server = await listenSandbox(app, { port: opts.port, host: opts.host });
  const send = sandboxControl('esewa', server.url);
  const control = (path: string, body: object = {}) => send<EsewaControlResult>(path, body);
  return {
    url: server.url,
    port: server.port,
    clock,
    state,
    stop: server.stop,
    submitForm: async (fields) => {
      const res = await fetch(`${server.url}${ESEWA_PATHS.form}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
      return { status: res.status, html: await res.text() };
    },
    pay: (uuid, o = {}) => control(`/__sandbox/pay/${uuid}`, o),
    cancel: (uuid, o = {}) => control(`/__sandbox/cancel/${uuid}`, o),
    expire: (uuid) => control(`/__sandbox/expire/${uuid}`),
    setStatus: (uuid, status) => control(`/__sandbox/status/${uuid}`, { status }),
    setFaults: faults.set,
    setOutage: (on) => {
      outage = on;
    },
  };
}
