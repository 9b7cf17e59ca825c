import { randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import { listenSandbox } from '../../../kernel/http/sandbox-server';
import { QPAY_PATHS, type QpayPaymentRow } from './qpay.protocol';
import { qpayPage } from './qpay.sandbox-page';

export interface QpaySandboxOptions {
  host?: string;
  port?: number;
  username: string;
  password: string;
  invoiceCode: string;
  /** Access token lifetime (s); the answer's expires_in is a unix time, as a captured production answer had it. */
  tokenTtlSeconds?: number;
  /** Tests only: where a callback really goes (a test's API listens on a port chosen after the config). */
  rewriteCallbackUrl?: (url: string) => string;
}

export interface SandboxInvoice {
  invoiceId: string;
  senderInvoiceNo: string;
  amount: number;
  description: string;
  callbackUrl: string;
  shortCode: string;
  status: 'OPEN' | 'PAID' | 'CANCELLED';
  payments: QpayPaymentRow[];
  callbacks: number;
}

export interface QpaySandbox {
  url: string;
  /** …/v2, what QPAY_BASE_URL names. */
  baseUrl: string;
  invoices: Map<string, SandboxInvoice>;
  tokensIssued: () => number;
  /** Tokens granted so far, by how they were asked for: Basic credentials or a refresh token. */
  grants: { basic: number; refresh: number };
  /**
   * QPay's error answer `{error_code, message}` with `status` to the next merchant API request (not
   * the token ones) that `when` picks (any, without it): other runs poll QPay meanwhile.
   */
  failNext(status: number, errorCode: string, message?: string, when?: FaultTarget): void;
  /** How many held error answers were given so far. */
  faultsAnswered(): number;
  /** The payer pays in a bank app: a PAID payment, then the callback (unless `lose`). */
  pay(invoiceId: string, opts?: { lose?: boolean }): Promise<void>;
  /** The payer backs out on the page: the invoice is cancelled and the callback fires. */
  cancel(invoiceId: string): Promise<void>;
  /** Calls the invoice's callback URL once more (QPay's retries are undocumented; duplicates happen). */
  callback(invoiceId: string): Promise<number>;
  stop(): Promise<void>;
}

const fail = (res: express.Response, status: number, error_code: string, message: string) => void res.status(status).json({ error_code, message });

function authRoutes(
  app: express.Express,
  o: QpaySandboxOptions,
  tokens: Map<string, { until: number; refresh: boolean }>,
  grants: { basic: number; refresh: number },
) {
  const ttl = o.tokenTtlSeconds ?? 600;
  const issue = (res: express.Response) => {
    const now = Math.floor(Date.now() / 1000);
    const [access, refresh] = [randomBytes(24).toString('base64url'), randomBytes(24).toString('base64url')];
    tokens.set(access, { until: (now + ttl) * 1000, refresh: false });
    tokens.set(refresh, { until: (now + ttl * 6) * 1000, refresh: true });
    res.json({
      token_type: 'bearer',
      access_token: access,
      refresh_token: refresh,
      expires_in: now + ttl,
      refresh_expires_in: now + ttl * 6,
      scope: 'profile email',
      'not-before-policy': '0',
      session_state: randomUUID(),
    });
  };
  app.post(`/v2${QPAY_PATHS.token}`, (req, res) => {
    const basic = `Basic ${Buffer.from(`${o.username}:${o.password}`).toString('base64')}`;
    if (!req.header('authorization')) return fail(res, 401, 'NO_CREDENDIALS', 'Authorization header is missing');
    if (req.header('authorization') !== basic) return fail(res, 401, 'AUTHENTICATION_FAILED', 'Invalid username or password');
    grants.basic += 1;
    issue(res);
  });
  app.post(`/v2${QPAY_PATHS.refresh}`, (req, res) => {
    const t = tokens.get(/^Bearer (\S+)$/.exec(req.header('authorization') ?? '')?.[1] ?? '');
    if (!t?.refresh || t.until < Date.now()) return fail(res, 401, 'AUTHENTICATION_FAILED', 'Refresh token is invalid or expired');
    grants.refresh += 1;
    issue(res);
  });
  return ((req, res, next) => {
    const t = tokens.get(/^Bearer (\S+)$/.exec(req.header('authorization') ?? '')?.[1] ?? '');
    if (!t || t.refresh || t.until < Date.now()) return fail(res, 401, 'AUTHENTICATION_FAILED', 'Access token is invalid or expired');
    next();
  }) as express.RequestHandler;
}

/** What QPay answers a created invoice: the QR text (and image), the short URL and bank deep links. */
function invoiceAnswer(inv: SandboxInvoice, url: string) {
  const qr = `0002010102121531${inv.invoiceId.replace(/-/g, '')}5303496540${inv.amount}5802MN6304`;
  return {
    invoice_id: inv.invoiceId,
    qr_text: qr,
    qr_image: Buffer.from(qr).toString('base64'),
    qPay_shortUrl: `${url}/s/${inv.shortCode}`,
    urls: ['Khan bank', 'Golomt bank', 'State bank'].map((name) => ({
      name,
      description: name,
      logo: `${url}/logo/${name.split(' ')[0].toLowerCase()}.png`,
      link: `${name.split(' ')[0].toLowerCase()}bank://q?qPay_QRcode=${qr}`,
    })),
  };
}

function invoiceRoutes(app: express.Express, o: QpaySandboxOptions, invoices: Map<string, SandboxInvoice>, url: () => string, bearer: express.RequestHandler) {
  app.post(`/v2${QPAY_PATHS.invoice}`, bearer, (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (b.invoice_code !== o.invoiceCode) return fail(res, 400, 'INVOICE_CODE_INVALID', 'invoice_code is not registered');
    const no = String(b.sender_invoice_no ?? '');
    if (!no || no.length > 45) return fail(res, 400, 'INVALID_PARAMETER', 'sender_invoice_no is required (max 45)');
    if ([...invoices.values()].some((i) => i.senderInvoiceNo === no)) return fail(res, 400, 'INVOICE_ALREADY_CREATED', 'sender_invoice_no is used');
    if (typeof b.amount !== 'number' || !(b.amount > 0)) return fail(res, 400, 'INVALID_AMOUNT', 'amount must be a positive number');
    if (!b.invoice_receiver_code || !b.invoice_description)
      return fail(res, 400, 'INVALID_PARAMETER', 'invoice_receiver_code and invoice_description are required');
    if (!/^https?:\/\//.test(String(b.callback_url ?? ''))) return fail(res, 400, 'INVALID_PARAMETER', 'callback_url must be a URL');
    const inv: SandboxInvoice = {
      invoiceId: randomUUID(),
      senderInvoiceNo: no,
      amount: b.amount,
      description: String(b.invoice_description),
      callbackUrl: String(b.callback_url),
      shortCode: randomBytes(8).toString('base64url'),
      status: 'OPEN',
      payments: [],
      callbacks: 0,
    };
    invoices.set(inv.invoiceId, inv);
    res.json(invoiceAnswer(inv, url()));
  });
  app.get(`/v2${QPAY_PATHS.invoice}/:id`, bearer, (req, res) => {
    const inv = invoices.get(String(req.params.id));
    if (!inv) return fail(res, 404, 'INVOICE_NOTFOUND', 'Invoice not found');
    res.json({
      invoice_id: inv.invoiceId,
      invoice_status: inv.status,
      sender_invoice_no: inv.senderInvoiceNo,
      total_amount: inv.amount,
      payments: inv.payments,
    });
  });
  app.delete(`/v2${QPAY_PATHS.invoice}/:id`, bearer, (req, res) => {
    const inv = invoices.get(String(req.params.id));
    if (!inv) return fail(res, 404, 'INVOICE_NOTFOUND', 'Invoice not found');
    if (inv.status === 'PAID') return fail(res, 400, 'INVOICE_PAID', 'Invoice is paid');
    inv.status = 'CANCELLED';
    res.json({});
  });
  app.post(`/v2${QPAY_PATHS.paymentCheck}`, bearer, (req, res) => {
    const b = (req.body ?? {}) as { object_type?: string; object_id?: string };
    if (b.object_type !== 'INVOICE' || !b.object_id) return fail(res, 400, 'INVALID_PARAMETER', 'object_type INVOICE and object_id are required');
    const rows = invoices.get(b.object_id)?.payments ?? [];
    res.json({ count: rows.length, paid_amount: rows.reduce((s, r) => s + Number(r.payment_amount), 0), rows });
  });
}

/** A P2P payment of the whole amount, as payment/check lists it. */
const paidRow = (amount: number): QpayPaymentRow => ({
  payment_id: String(Date.now()) + String(Math.floor(Math.random() * 1000)),
  payment_status: 'PAID',
  payment_amount: amount.toFixed(2),
  trx_fee: '0.00',
  payment_currency: 'MNT',
  payment_wallet: '0',
  payment_type: 'P2P',
  card_transactions: [],
  p2p_transactions: [],
});

/** Which merchant request a held fault is for: its method, path (under /v2) and JSON body. */
export type FaultTarget = (req: { method: string; path: string; body: Record<string, unknown> }) => boolean;

/** An error answer held for the next authenticated request it targets (after the bearer check, as QPay would refuse one). */
function withFault(auth: express.RequestHandler) {
  let fault: { status: number; errorCode: string; message: string; when: FaultTarget } | undefined;
  let answered = 0;
  const bearer: express.RequestHandler = (req, res, next) =>
    auth(req, res, () => {
      const f = fault;
      if (!f || !f.when({ method: req.method, path: req.path.replace(/^\/v2/, ''), body: req.body ?? {} })) return next();
      fault = undefined;
      answered += 1;
      return fail(res, f.status, f.errorCode, f.message);
    });
  const failNext = (status: number, errorCode: string, message = errorCode, when: FaultTarget = () => true) =>
    void (fault = { status, errorCode, message, when });
  return { bearer, failNext, faultsAnswered: () => answered };
}

/**
 * A local QPay v2 merchant API: Basic → bearer tokens (and refresh), invoices (create, get,
 * cancel), payment/check by invoice, and the payer's page (the short URL) to pay or cancel,
 * which calls the invoice's callback_url with a GET, as the merchant gave it.
 */
export async function startQpaySandbox(o: QpaySandboxOptions): Promise<QpaySandbox> {
  const invoices = new Map<string, SandboxInvoice>();
  const tokens = new Map<string, { until: number; refresh: boolean }>();
  const app = express();
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  let base = '';
  const grants = { basic: 0, refresh: 0 };
  const { bearer, failNext, faultsAnswered } = withFault(authRoutes(app, o, tokens, grants));
  invoiceRoutes(app, o, invoices, () => base, bearer);
  const find = (id: string) => {
    const inv = invoices.get(id);
    if (!inv) throw new Error(`no QPay invoice ${id}`);
    return inv;
  };
  const callback = async (id: string) => {
    const inv = find(id);
    inv.callbacks += 1;
    const target = o.rewriteCallbackUrl ? o.rewriteCallbackUrl(inv.callbackUrl) : inv.callbackUrl;
    const res = await fetch(target, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    return res?.status ?? 0;
  };
  const pay = async (id: string, opts: { lose?: boolean } = {}) => {
    const inv = find(id);
    if (inv.status !== 'OPEN') return;
    inv.status = 'PAID';
    inv.payments.push(paidRow(inv.amount));
    if (!opts.lose) await callback(id);
  };
  const cancel = async (id: string) => {
    const inv = find(id);
    if (inv.status !== 'OPEN') return;
    inv.status = 'CANCELLED';
    await callback(id);
  };
  qpayPage(app, invoices, { pay, cancel });
  const server = await listenSandbox(app, o);
  base = server.url;
  return {
    url: server.url,
    baseUrl: `${server.url}/v2`,
    invoices,
    tokensIssued: () => tokens.size / 2,
    grants,
    failNext,
    faultsAnswered,
    pay,
    cancel,
    callback,
    stop: server.stop,
  };
}
