import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** The payment workflows' contract: ids, inputs, messages and signatures, for the services that drive them. */

export const intentWorkflowId = (intentId: string) => `payment-intent:${intentId}`;
export const refundWorkflowId = (refundId: string) => `refund:${refundId}`;
/** A refund that a gateway failed after it had succeeded (Stripe `refund.failed` later): its compensation, once. */
export const refundCompensationWorkflowId = (refundId: string) => `refund-compensation:${refundId}`;
/** The gateway calls of the workflows on task queue `q` run on this queue (its own rate-limited worker). */
export const gatewayTaskQueue = (q: string) => `${q}-gateways`;

export interface PaymentIntentInput {
  intentId: string;
  /** The wallet currency of the top-up (absent in runs started before it was carried: rules/currency.ts). */
  currency?: string;
  userId: string;
  gateway: string;
  amountMinor: number;
  returnUrl: string;
  ttlMs: number;
  pollMs: number;
  /** How long the customer waits for the gateway session (absent: 15 s). */
  sessionTimeoutMs?: number;
}

export type IntentState = 'creating' | 'pending' | 'success' | 'failed' | 'canceled' | 'expired' | 'needs_attention';
export interface IntentSnapshot {
  intentId: string;
  state: IntentState;
  paymentUrl?: string | null;
  gatewayRef?: string;
  extra?: Record<string, unknown> | null;
  reason?: string;
  pointsAwarded?: number;
}

/** A verified gateway notification (webhook or redirect): a hint to look the payment up now. */
export const gatewayNotifiedSignal = defineSignal<[{ eventId: string; status: string }]>('gatewayNotified');
export const cancelSignal = defineSignal<[{ by: string }]>('cancel');
/** Answers once the gateway session exists (the API returns the payment URL from it). */
export const sessionUpdate = defineUpdate<IntentSnapshot>('session');
/** Client `verify-topup`: looks the payment up now and answers with the outcome. */
export const verifyUpdate = defineUpdate<IntentSnapshot>('verify');
export const statusQuery = defineQuery<IntentSnapshot>('status');

export type PaymentIntentWorkflow = (input: PaymentIntentInput) => Promise<IntentSnapshot>;

export interface RefundInput {
  refundId: string;
  /** The refunded amount's currency (absent in runs started before it was carried: rules/currency.ts). */
  currency?: string;
  userId: string;
  transactionId: string;
  amountMinor: number;
  /** Set when the refunded entry was a gateway top-up: the money goes back through it. */
  gateway?: { name: string; gatewayRef: string; gatewayTxnId?: string | null } | null;
  /** How long an admin has to decide before the request lapses. */
  decisionTimeoutMs: number;
}

export type RefundState = 'pending' | 'completed' | 'rejected' | 'failed';
export const approveRefundSignal = defineSignal<[{ adminId: string }]>('approve');
export const rejectRefundSignal = defineSignal<[{ adminId: string; reason: string }]>('reject');
export const refundStatusQuery = defineQuery<{ state: RefundState; reason?: string }>('status');
export type RefundDecision = { approve: true; adminId: string } | { approve: false; adminId: string; reason: string };
/**
 * The admin API's decision, as an update: the first decision wins and its caller hears `accepted`;
 * an approve and a reject sent at the same moment can no longer both be told they succeeded.
 * (The signals stay for decisions already in flight and for operators using the Temporal UI.)
 */
export const decideRefundUpdate = defineUpdate<{ accepted: boolean; decision: { approve: boolean; adminId: string } }, [RefundDecision]>('decide');

export type RefundWorkflow = (input: RefundInput) => Promise<{ state: RefundState; reason?: string }>;

/** The gateway's word on a refund it settles later (Stripe `refund.updated` / `refund.failed` webhooks): a hint to look. */
export const gatewayRefundSettledSignal = defineSignal<[{ gatewayRefundId: string; status: 'succeeded' | 'failed' | 'pending' }]>('gatewayRefundSettled');

export interface RefundCompensationInput {
  refundId: string;
  userId: string;
  amountMinor: number;
  currency: string;
  gateway: string;
  gatewayRefundId: string;
}
export type RefundCompensationWorkflow = (input: RefundCompensationInput) => Promise<void>;

/** The late-check sweep: `only` limits it to some intents (an operator's re-check now). */
export type PaymentLateCheckWorkflow = (input?: { only?: string[] }) => Promise<{ looked: number; credited: number }>;
export const paymentLateCheckScheduleId = (taskQueue: string) => `payment-late-check:${taskQueue}`;
