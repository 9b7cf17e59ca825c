import { z } from 'zod';
import { ReplenishService } from '../../../modules/charging';
import type { SurfaceModule } from '../types';

const Invoice = z
  .object({
    invoice_id: z.string().openapi({ example: 'e887c58b-7df2-4fe1-960c-6ab09b121488' }),
    url: z.string().openapi({ description: 'QPay short URL: the payment page', example: 'https://s.qpay.mn/PHEc-oCO_O' }),
    qr_text: z.string().openapi({ description: 'What the QR code encodes (bank apps scan it)' }),
    urls: z.array(z.object({ name: z.string(), description: z.string(), logo: z.string(), link: z.string() })).openapi({ description: 'Bank app deep links' }),
  })
  .openapi('EvReplenishInvoice');

const Replenishment = z
  .object({ replenishment: z.object({ status: z.enum(['pending', 'success', 'error', 'canceled']), amount: z.number().openapi({ description: 'MNT' }) }) })
  .openapi('EvReplenishment');

/** `POST /customer/replenish`, `POST /customer/replenishment/:invoice_id` (seed 000), and QPay's callback. */
export const evReplenishRoutes: SurfaceModule = (routes, deps) => {
  const topUps = new ReplenishService(deps);
  const { QPAY_MIN_AMOUNT: min, QPAY_MAX_AMOUNT: max } = deps.config;
  routes.route({
    method: 'post',
    path: '/customer/replenish',
    summary: 'Top up the balance with QPay: an invoice to pay',
    description:
      `amount in MNT (${min}..${max}). Open \`url\` (or scan the QR, or a bank's deep link) to pay. Once QPay's payment/check confirms the payment the balance is credited once ` +
      'and `{replenishment: {status: "success", amount}}` is published on the NATS topic. Unpaid invoices are cancelled after QPAY_INVOICE_TTL_MINUTES.',
    tags: ['Balance'],
    auth: 'user',
    body: z.object({ amount: z.number().int().min(min).max(max).openapi({ example: 10069 }) }).openapi('EvReplenish'),
    response: Invoice,
    errors: { 502: 'GATEWAY_REFUSED (QPay refused the invoice)', 503: 'GATEWAY_UNAVAILABLE' },
    handler: ({ user, body }) => topUps.replenish(user!.id, body.amount),
  });
  routes.route({
    method: 'post',
    path: '/customer/replenishment/:invoice_id',
    summary: 'The status of a top-up (asks QPay once more while pending)',
    tags: ['Balance'],
    auth: 'user',
    params: z.object({ invoice_id: z.string().min(1).max(64) }),
    response: Replenishment,
    errors: { 404: 'No such top-up of yours' },
    handler: ({ user, params }) => topUps.status(user!.id, params.invoice_id),
  });
  // QPay's callback (method unconfirmed: GET and POST both accepted); it answers 200 "SUCCESS" whatever it carries.
  const callback = async (req: { query: Record<string, unknown> }, res: { type(t: string): { send(b: string): void } }) => {
    await topUps.callback(String(req.query.ref ?? ''), String(req.query.token ?? '')).catch(() => undefined);
    res.type('text').send('SUCCESS');
  };
  routes.router.get('/qpay/callback', callback);
  routes.router.post('/qpay/callback', callback);
};
