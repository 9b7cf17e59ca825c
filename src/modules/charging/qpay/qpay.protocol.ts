/**
 * QPay v2 (Mongolia), as far as its public documents say (see docs/ARCHITECTURE.md, EV): Basic
 * auth on /auth/token for a bearer token, /invoice to create (and GET / DELETE one), and
 * /payment/check by invoice. The callback carries nothing to trust: it only says "look now".
 */
export const QPAY_PATHS = {
  token: '/auth/token',
  refresh: '/auth/refresh',
  invoice: '/invoice',
  paymentCheck: '/payment/check',
} as const;

export interface QpayTokenAnswer {
  token_type: string;
  access_token: string;
  refresh_token: string;
  /** A TTL in seconds per third-party docs (600); a captured production answer held a unix time. Both are read. */
  expires_in: number;
  refresh_expires_in: number;
  scope?: string;
  'not-before-policy'?: string;
  session_state?: string;
}

export interface QpayInvoiceRequest {
  invoice_code: string;
  /** The merchant's own unique number (≤ 45). */
  sender_invoice_no: string;
  invoice_receiver_code: string;
  invoice_description: string;
  /** MNT, whole tugrik. */
  amount: number;
  callback_url: string;
}

export interface QpayDeepLink {
  name: string;
  description: string;
  logo: string;
  link: string;
}

export interface QpayInvoiceAnswer {
  invoice_id: string;
  qr_text: string;
  qr_image: string;
  qPay_shortUrl: string;
  urls: QpayDeepLink[];
}

export interface QpayPaymentRow {
  payment_id: string;
  payment_status: string;
  /** A decimal string, "10069.00". */
  payment_amount: string;
  trx_fee: string;
  payment_currency: string;
  payment_wallet: string;
  payment_type: string;
  card_transactions: unknown[];
  p2p_transactions: unknown[];
}

export interface QpayPaymentCheckAnswer {
  count: number;
  paid_amount: number;
  rows: QpayPaymentRow[];
}

/** A token's expiry in ms since the epoch, whichever way `expires_in` was meant (values over 10^9 are a unix time). */
export function tokenExpiry(expiresIn: number, nowMs: number): number {
  return expiresIn > 1e9 ? expiresIn * 1000 : nowMs + expiresIn * 1000;
}

/** Only PAID rows count, and only when together they cover the invoice. */
export function paidInFull(answer: QpayPaymentCheckAnswer, amount: number): { paymentId: string } | null {
  const paid = (answer.rows ?? []).filter((r) => r.payment_status === 'PAID');
  const sum = paid.reduce((s, r) => s + Number(r.payment_amount), 0);
  return paid.length > 0 && sum >= amount ? { paymentId: paid[0].payment_id } : null;
}
