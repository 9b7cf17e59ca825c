import { randomId } from '../sandbox/ids';
import type { SandboxClock } from '../sandbox/clock';
import { KHALTI_MIN_AMOUNT, type KhaltiLookupResponse, type KhaltiReturnParams, type KhaltiStatus } from './khalti.protocol';

export interface KhaltiSandboxPayment {
  pidx: string;
  amount: number;
  purchaseOrderId: string;
  purchaseOrderName: string;
  returnUrl: string;
  websiteUrl: string;
  status: KhaltiStatus;
  transactionId: string | null;
  mobile: string | null;
  fee: number;
  refundedAmount: number;
  createdAt: number;
  expiresAt: number;
  merchantExtra: Record<string, unknown>;
}

type FieldErrors = Record<string, string[]>;

/** Validates an initiate body the way Khalti (Django REST framework) does: every problem, per field. */
export function validateInitiate(body: Record<string, unknown>): { errors?: FieldErrors; amount?: number } {
  const errors: FieldErrors = {};
  const add = (field: string, msg: string) => {
    (errors[field] ??= []).push(msg);
  };
  for (const f of ['return_url', 'website_url', 'amount', 'purchase_order_id', 'purchase_order_name']) {
    const v = body[f];
    if (v === undefined || v === null) add(f, 'This field is required.');
    else if (typeof v === 'string' && v.trim() === '') add(f, 'This field may not be blank.');
  }
  for (const f of ['return_url', 'website_url']) {
    const v = body[f];
    if (typeof v === 'string' && v.trim() !== '' && !/^https?:\/\/[^\s/]+/i.test(v)) add(f, 'Enter a valid URL.');
  }
  let amount: number | undefined;
  const raw = body.amount;
  if (raw !== undefined && raw !== null && !(typeof raw === 'string' && raw.trim() === '')) {
    amount = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(amount)) add('amount', 'A valid integer is required.');
    else if (amount < KHALTI_MIN_AMOUNT) add('amount', 'Amount should be greater than Rs. 10, that is 1000 paisa.');
  }
  const breakdown = body.amount_breakdown;
  if (Array.isArray(breakdown) && amount !== undefined && Number.isSafeInteger(amount)) {
    const sum = breakdown.reduce((s: number, b) => s + Number((b as { amount?: unknown })?.amount ?? NaN), 0);
    if (sum !== amount) add('amount', 'Amount Breakdown mismatch.');
  }
  return Object.keys(errors).length ? { errors } : { amount };
}

/** The sandbox's books: every payment it initiated, and the moves a payer or Khalti makes on it. */
export class KhaltiSandboxState {
  readonly payments = new Map<string, KhaltiSandboxPayment>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly opts: { expiresInSeconds: number; feePercent: number },
  ) {}

  create(
    input: Omit<KhaltiSandboxPayment, 'pidx' | 'status' | 'transactionId' | 'mobile' | 'fee' | 'refundedAmount' | 'createdAt' | 'expiresAt'>,
  ): KhaltiSandboxPayment {
    const now = this.clock.now();
    const p: KhaltiSandboxPayment = {
      ...input,
      pidx: randomId(22),
      status: 'Initiated',
      transactionId: null,
      mobile: null,
      fee: 0,
      refundedAmount: 0,
      createdAt: now,
      expiresAt: now + this.opts.expiresInSeconds * 1000,
    };
    this.payments.set(p.pidx, p);
    return p;
  }

  /** The payment with lazy expiry applied (an unpaid link past expires_at is Expired). */
  get(pidx: string): KhaltiSandboxPayment | undefined {
    const p = this.payments.get(pidx);
    if (p && p.status === 'Initiated' && this.clock.now() >= p.expiresAt) p.status = 'Expired';
    return p;
  }

  byTransactionId(transactionId: string): KhaltiSandboxPayment | undefined {
    for (const p of this.payments.values()) if (p.transactionId === transactionId) return p;
    return undefined;
  }

  /** Payer confirms with MPIN/OTP. Only an Initiated (or held Pending) payment can be paid. */
  pay(p: KhaltiSandboxPayment, outcome: 'Completed' | 'Pending', mobile: string): string | undefined {
    if (p.status !== 'Initiated' && !(p.status === 'Pending' && outcome === 'Completed')) return `payment is ${p.status}`;
    p.status = outcome;
    p.transactionId ??= randomId(22);
    p.mobile = mobile;
    p.fee = Math.round((p.amount * this.opts.feePercent) / 100);
    return undefined;
  }

  cancel(p: KhaltiSandboxPayment): string | undefined {
    if (p.status !== 'Initiated') return `payment is ${p.status}`;
    p.status = 'User canceled';
    return undefined;
  }

  expire(p: KhaltiSandboxPayment): string | undefined {
    if (p.status !== 'Initiated') return `payment is ${p.status}`;
    p.status = 'Expired';
    return undefined;
  }

  refund(p: KhaltiSandboxPayment, amount?: number): string | undefined {
    if (p.status !== 'Completed' && p.status !== 'Partially Refunded') return 'Transaction cannot be refunded.';
    const remaining = p.amount - p.refundedAmount;
    const value = amount ?? remaining;
    if (!Number.isSafeInteger(value) || value <= 0 || value > remaining) return 'Refund amount is greater than refundable amount.';
    p.refundedAmount += value;
    p.status = p.refundedAmount === p.amount ? 'Refunded' : 'Partially Refunded';
    return undefined;
  }

  lookupBody(p: KhaltiSandboxPayment): KhaltiLookupResponse {
    return { pidx: p.pidx, total_amount: p.amount, status: p.status, transaction_id: p.transactionId, fee: p.fee, refunded: p.refundedAmount > 0 };
  }

  /** return_url with the query Khalti appends; on cancel the id and mobile params are empty. */
  returnUrl(p: KhaltiSandboxPayment): string {
    const paid = p.status === 'Completed' || p.status === 'Pending';
    const params: KhaltiReturnParams = {
      pidx: p.pidx,
      status: p.status,
      transaction_id: paid ? (p.transactionId ?? '') : '',
      tidx: paid ? (p.transactionId ?? '') : '',
      txnId: paid ? (p.transactionId ?? '') : '',
      amount: String(p.amount),
      total_amount: String(p.amount),
      mobile: paid ? (p.mobile ?? '') : '',
      purchase_order_id: p.purchaseOrderId,
      purchase_order_name: p.purchaseOrderName,
    };
    const url = new URL(p.returnUrl);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }
}

/** "98XXXXX904": how Khalti masks the payer's id in the callback. */
export function maskMobile(mobile: string): string {
  return mobile.length >= 5 ? `${mobile.slice(0, 2)}${'X'.repeat(mobile.length - 5)}${mobile.slice(-3)}` : mobile;
}
