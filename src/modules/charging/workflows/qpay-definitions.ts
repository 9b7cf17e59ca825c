import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** The QPay top-up's contract (`qpay-invoice:<invoice_id>`). */
export const qpayInvoiceWorkflowId = (invoiceId: string) => `qpay-invoice:${invoiceId}`;

export type TopUpStatus = 'pending' | 'success' | 'error' | 'canceled';

export interface QpayInvoiceInput {
  invoiceId: string;
  /** Our sender_invoice_no: the `ev_replenishments` row. */
  replenishmentId: string;
  userId: string;
  /** What the invoice asks, MNT (QPay's unit), and what the wallet gets, MNT minor units. */
  amount: number;
  amountMinor: number;
  /** Unpaid by then (ms since the epoch): the invoice is cancelled at QPay and the top-up `canceled`. */
  expiresAt: number;
  /** First and longest wait between two payment/check calls. */
  pollMs: number;
  maxPollMs: number;
}

export interface QpayInvoiceResult {
  status: TopUpStatus;
  paymentId?: string;
}

/** QPay called the callback URL (a hint only: payment/check decides). */
export const qpayCallbackSignal = defineSignal('qpayCallback');
/** The app's manual check: answered after one more look at QPay (or once the top-up is final). */
export const qpayCheckNowUpdate = defineUpdate<TopUpStatus>('qpayCheckNow');
export const qpayStatusQuery = defineQuery<TopUpStatus>('qpayStatus');

export type QpayInvoiceWorkflow = (input: QpayInvoiceInput) => Promise<QpayInvoiceResult>;
