import { callGateway, gatewayRefused, type HttpAnswer } from '../../../kernel/http/gateway-call';
import {
  QPAY_PATHS,
  paidInFull,
  tokenExpiry,
  type QpayInvoiceAnswer,
  type QpayInvoiceRequest,
  type QpayPaymentCheckAnswer,
  type QpayTokenAnswer,
} from './qpay.protocol';

export interface QpaySettings {
  /** …/v2 */
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs?: number;
}

/** What QPay says of an invoice: paid in full, still open, or cancelled. */
export type QpayLook = { state: 'paid'; paymentId: string } | { state: 'open' } | { state: 'canceled' };

const SKEW_MS = 30_000;

/**
 * QPay v2: the bearer token is cached until shortly before it expires, then refreshed with the
 * refresh token (or fetched anew with Basic auth once that one expired too); a 401 drops it and
 * retries once. 5xx and network errors throw plain errors (retried); 4xx is a refusal (AppError).
 */
export class QpayClient {
  private token?: { access: string; accessUntil: number; refresh: string; refreshUntil: number };

  constructor(private readonly s: QpaySettings) {}

  private call(path: string, init: RequestInit): Promise<HttpAnswer> {
    return callGateway(`${this.s.baseUrl.replace(/\/+$/, '')}${path}`, { ...init, timeoutMs: this.s.timeoutMs });
  }

  private keep(a: HttpAnswer, what: string): void {
    if (a.status >= 500) throw new Error(`QPay ${what} answered ${a.status}`);
    const t = a.body as unknown as QpayTokenAnswer;
    if (a.status !== 200 || typeof t.access_token !== 'string') throw refused(what, a);
    const now = Date.now();
    this.token = {
      access: t.access_token,
      accessUntil: tokenExpiry(Number(t.expires_in), now) - SKEW_MS,
      refresh: t.refresh_token,
      refreshUntil: tokenExpiry(Number(t.refresh_expires_in ?? 0), now) - SKEW_MS,
    };
  }

  private async accessToken(): Promise<string> {
    const now = Date.now();
    if (this.token && now < this.token.accessUntil) return this.token.access;
    if (this.token && now < this.token.refreshUntil) {
      const r = await this.call(QPAY_PATHS.refresh, { method: 'POST', headers: { authorization: `Bearer ${this.token.refresh}` } });
      if (r.status === 200) return (this.keep(r, 'auth/refresh'), this.token.access);
    }
    const basic = Buffer.from(`${this.s.username}:${this.s.password}`).toString('base64');
    this.keep(await this.call(QPAY_PATHS.token, { method: 'POST', headers: { authorization: `Basic ${basic}` } }), 'auth/token');
    return this.token!.access;
  }

  private async authed(path: string, method: string, body?: object): Promise<HttpAnswer> {
    const send = async () =>
      this.call(path, {
        method,
        headers: { authorization: `Bearer ${await this.accessToken()}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
    let a = await send();
    if (a.status === 401) {
      this.token = undefined;
      a = await send();
    }
    if (a.status >= 500) throw new Error(`QPay ${method} ${path} answered ${a.status}`);
    return a;
  }

  async createInvoice(req: QpayInvoiceRequest): Promise<QpayInvoiceAnswer> {
    const a = await this.authed(QPAY_PATHS.invoice, 'POST', req);
    if (a.status !== 200 || typeof a.body.invoice_id !== 'string') throw refused('invoice', a);
    return a.body as unknown as QpayInvoiceAnswer;
  }

  /** payment/check first (the truth about money); unpaid, the invoice's own status tells a cancelled one. */
  async look(invoiceId: string, amount: number): Promise<QpayLook> {
    const a = await this.authed(QPAY_PATHS.paymentCheck, 'POST', { object_type: 'INVOICE', object_id: invoiceId, offset: { page_number: 1, page_limit: 100 } });
    if (a.status !== 200) throw refused('payment/check', a);
    const paid = paidInFull(a.body as unknown as QpayPaymentCheckAnswer, amount);
    if (paid) return { state: 'paid', paymentId: paid.paymentId };
    const inv = await this.authed(`${QPAY_PATHS.invoice}/${encodeURIComponent(invoiceId)}`, 'GET');
    if (inv.status !== 200) throw refused('invoice', inv);
    return inv.body.invoice_status === 'CANCELLED' ? { state: 'canceled' } : { state: 'open' };
  }

  /** DELETE /invoice/{id}; an invoice that is no longer open answers 4xx, which is fine here. */
  async cancelInvoice(invoiceId: string): Promise<void> {
    await this.authed(`${QPAY_PATHS.invoice}/${encodeURIComponent(invoiceId)}`, 'DELETE');
  }
}

const refused = (what: string, a: HttpAnswer) => gatewayRefused(`QPay ${what}`, a);
