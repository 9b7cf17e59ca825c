import { z } from 'zod';
import { AppError } from '../../../kernel/errors';
import {
  acceptPaystackWebhook,
  KENYAN_MSISDN,
  PAYMENT_STATUSES,
  presentTransaction,
  TRANSACTION_REFERENCE,
  WaterPaymentService,
} from '../../../modules/dispensing';
import { anchored, EMAIL_PATTERN } from '../../../modules/identity';
import type { SurfaceModule } from '../types';
import { isAdmin, optionalAdmin } from './station-guard';

/** What an amount must be, from the configured bounds (the smallest one buys at least a liter when rounding down). */
const amountSchema = (c: Parameters<SurfaceModule>[1]['config']) => {
  const min = c.WATER_ROUNDING === 'down' ? Math.max(c.WATER_MIN_AMOUNT, c.WATER_PRICE_PER_LITER) : c.WATER_MIN_AMOUNT;
  return z
    .number()
    .min(min)
    .max(c.WATER_MAX_AMOUNT)
    .openapi({ example: 52, description: `Whole shillings (KES), ${min} to ${c.WATER_MAX_AMOUNT}` });
};
const Phone = z.string().regex(KENYAN_MSISDN, 'must be 254XXXXXXXXX').openapi({ example: '254712345678' });
/** An e-mail address as identity's plain pattern: zod's own e-mail check is stricter than OpenAPI's `format: email` (it refused `a?b@m.io`). */
const Email = z.string().max(254).regex(anchored(EMAIL_PATTERN), 'must be an e-mail address').openapi({ example: 'customer@example.com' });
const Ref = z.object({ transactionReference: z.string().regex(TRANSACTION_REFERENCE, 'must be a WS-... transaction reference') });
const Metadata = z.record(z.string(), z.unknown()).optional();

const PreviewSchema = z
  .object({
    requestedAmount: z.number(),
    amount: z.number(),
    liters: z.number(),
    pricePerLiter: z.number(),
    currency: z.string(),
    roundingStrategy: z.string(),
    difference: z.number(),
  })
  .openapi('WaterPreview');
const TransactionSchema = z
  .object({
    transactionReference: z.string(),
    paymentMethod: z.enum(['mpesa', 'paystack']),
    phoneNumber: z.string().nullable().openapi({ description: 'Masked for anonymous callers; in full with an admin bearer token' }),
    amount: z.number(),
    liters: z.number(),
    currency: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    checkoutRequestId: z.string().nullable(),
    resultCode: z.number().nullable(),
    resultDesc: z.string().nullable(),
  })
  .passthrough()
  .openapi('WaterTransaction');

/** Seed 002 payment paths: preview, M-Pesa (initiate, callback, query), Paystack (initialize, verify, callback, webhook), status. */
export const paymentRoutes: SurfaceModule = (routes, deps) => {
  const payments = new WaterPaymentService(deps);
  const Amount = amountSchema(deps.config);
  const admins = optionalAdmin(deps);
  routes.route({
    method: 'post',
    path: '/payments/preview',
    summary: 'Liters an amount buys (rounding strategy, price per liter, difference)',
    tags: ['Payments'],
    body: z.object({ amount: Amount }),
    response: PreviewSchema,
    message: 'Payment preview generated',
    handler: ({ body }) => payments.preview(body.amount),
  });
  mpesaRoutes(routes, payments, Amount);
  routes.route({
    method: 'get',
    path: '/payments/status/:transactionReference',
    summary: 'Status of an M-Pesa or Paystack payment',
    tags: ['Payments'],
    params: Ref,
    response: TransactionSchema,
    errors: { 404: 'Transaction not found' },
    message: 'Transaction found',
    limits: [admins],
    handler: async ({ params, req }) => presentTransaction(await payments.status(params.transactionReference), { fullPhone: isAdmin(req) }),
  });
  routes.route({
    method: 'get',
    path: '/payments/mpesa/query/:transactionReference',
    summary: 'Ask Daraja now (STK Push Query)',
    tags: ['Payments'],
    params: Ref,
    response: TransactionSchema,
    errors: { 404: 'Transaction not found, or not paid with M-Pesa', 409: 'NO_CHECKOUT_REQUEST: the STK push was never sent' },
    message: 'Payment status verified from M-Pesa',
    limits: [admins],
    handler: async ({ params, req }) => presentTransaction(await payments.checkNow(params.transactionReference, 'mpesa'), { fullPhone: isAdmin(req) }),
  });
  paystackRoutes(routes, deps, payments);
};

function mpesaRoutes(routes: Parameters<SurfaceModule>[0], payments: WaterPaymentService, Amount: z.ZodNumber) {
  routes.route({
    method: 'post',
    path: '/payments/mpesa/initiate',
    summary: 'Start an M-Pesa STK push (the amount is rounded to whole liters)',
    tags: ['Payments'],
    status: 201,
    body: z.object({ phoneNumber: Phone, amount: Amount, metadata: Metadata }),
    errors: { 502: 'STK Push initiation failed' },
    message: 'M-Pesa payment initiated. Please enter your PIN.',
    handler: async ({ body }) => {
      const { preview, row } = await payments.start('mpesa', body.amount, { phoneNumber: body.phoneNumber, metadata: body.metadata });
      return {
        success: true,
        transactionReference: row.transaction_reference,
        checkoutRequestId: row.checkout_request_id,
        amount: preview.amount,
        liters: preview.liters,
        phoneNumber: body.phoneNumber,
        status: row.status,
        message: 'Please enter your M-Pesa PIN',
      };
    },
  });
  routes.router.post('/payments/mpesa/callback', async (req, res) => {
    // Daraja expects 200 whatever we think of the body; what we made of it is recorded.
    const r = await payments.mpesaCallback(req.body).catch(() => ({ accepted: false }));
    res.status(200).json({ success: true, message: r.accepted ? 'Callback processed successfully' : 'Callback received' });
  });
  routes.registry.registerPath({
    method: 'post',
    path: '/payments/mpesa/callback',
    summary: "Daraja's STK callback (always answered 200; confirmed by STK query before it completes anything)",
    tags: ['Payments'],
    responses: { 200: { description: 'Received' } },
  });
}

function paystackRoutes(routes: Parameters<SurfaceModule>[0], deps: Parameters<SurfaceModule>[1], payments: WaterPaymentService) {
  routes.route({
    method: 'post',
    path: '/payments/paystack/initialize',
    summary: 'Open a Paystack checkout page',
    tags: ['Payments'],
    status: 201,
    body: z.object({
      email: Email,
      amount: amountSchema(deps.config),
      phoneNumber: Phone.optional(),
      currency: z.string().optional(),
      metadata: Metadata,
    }),
    message: 'Payment checkout initialized successfully. Redirect customer to authorizationUrl.',
    handler: async ({ body }) => {
      if (body.currency && body.currency !== deps.config.WATER_CURRENCY)
        throw new AppError('UNSUPPORTED_CURRENCY', `Only ${deps.config.WATER_CURRENCY} is accepted`, 400);
      const { row } = await payments.start('paystack', body.amount, body);
      const expiresAt = new Date(new Date(row.created_at).getTime() + deps.config.WATER_PAYMENT_TIMEOUT_MINUTES * 60_000).toISOString();
      return {
        transactionReference: row.transaction_reference,
        authorizationUrl: row.authorization_url,
        accessCode: row.access_code,
        status: row.status,
        expiresAt,
      };
    },
  });
  routes.route({
    method: 'get',
    path: '/payments/paystack/verify/:transactionReference',
    summary: 'Ask Paystack now (verify)',
    tags: ['Payments'],
    params: Ref,
    response: TransactionSchema,
    errors: { 404: 'Transaction not found, or not paid with Paystack' },
    message: 'Payment verified successfully',
    limits: [optionalAdmin(deps)],
    handler: async ({ params, req }) => presentTransaction(await payments.checkNow(params.transactionReference, 'paystack'), { fullPhone: isAdmin(req) }),
  });
  routes.route({
    method: 'get',
    path: '/payments/paystack/callback',
    summary: "The customer's browser back from Paystack (a hint; verify for the final status)",
    tags: ['Payments'],
    query: z.object({ reference: z.string().regex(TRANSACTION_REFERENCE), trxref: z.string().optional() }),
    message: 'Payment callback received. Verify payment to confirm final status.',
    handler: async ({ query, req }) => {
      await payments.hint(query.reference);
      return { reference: query.reference, verifyUrl: `${req.baseUrl}/payments/paystack/verify/${query.reference}` };
    },
  });
  paystackWebhook(routes, deps, payments);
}

/** Paystack's server-to-server notification: signature over the raw body, then a hint to the workflow. */
function paystackWebhook(routes: Parameters<SurfaceModule>[0], deps: Parameters<SurfaceModule>[1], payments: WaterPaymentService) {
  routes.router.post('/payments/paystack/webhook', async (req, res, next) => {
    try {
      const r = await acceptPaystackWebhook(deps.orm, deps.config.PAYSTACK_SECRET_KEY, req.rawBody, req.header('x-paystack-signature'), req.body);
      if (r.outcome === 'forged') throw new AppError('INVALID_SIGNATURE', 'Invalid or missing x-paystack-signature', 401);
      if (r.outcome === 'hint') await payments.hint(r.reference!);
      res.status(200).json({ success: true, message: r.outcome === 'duplicate' ? 'Webhook already processed' : 'Webhook processed' });
    } catch (err) {
      next(err);
    }
  });
  routes.registry.registerPath({
    method: 'post',
    path: '/payments/paystack/webhook',
    summary: 'Paystack webhook (x-paystack-signature: HMAC-SHA512 of the raw body with the secret key)',
    tags: ['Payments'],
    responses: { 200: { description: 'Processed (or a duplicate)' }, 401: { description: 'Forged or unsigned: nothing changes' } },
  });
}
