import { z } from 'zod';
import { surfaceProfile } from '../../../config';
import { EmiPaymentService, LoanApplicationService, NBFC_EVENT_HEADER, NBFC_SIGNATURE_HEADER, NbfcWebhookService } from '../../../modules/loans';
import type { SurfaceModule } from '../types';
import { callerOf } from './caller';
import { Application, ApplicationBody } from './finance.routes';

const WebhookBody = z
  .object({
    event_id: z.string().max(100).optional(),
    applicationId: z.number().int().positive(),
    status: z.enum(['under_review', 'approved', 'rejected', 'disbursed']),
    sanctionedAmount: z.number().positive().optional(),
    interestRate: z.number().min(0).max(60).optional(),
  })
  .passthrough()
  .openapi('NbfcWebhook');

/** The NBFC: submit, its signed status webhook, and Razorpay's EMI payment webhook. */
export const fleetNbfcRoutes: SurfaceModule = (routes, deps) => {
  const applications = new LoanApplicationService({ orm: deps.orm, temporal: deps.temporal, config: deps.config });
  const webhooks = new NbfcWebhookService({ orm: deps.orm, temporal: deps.temporal, secret: deps.config.NBFC_WEBHOOK_SECRET });
  const payments = new EmiPaymentService({
    orm: deps.orm,
    temporal: deps.temporal,
    secret: deps.config.RAZORPAY_WEBHOOK_SECRET,
    currency: surfaceProfile(deps.config, 'fleet').currency,
  });
  routes.route({
    method: 'post',
    path: '/nbfc/submit-application',
    summary: 'Submit an application to the NBFC; answers with the NBFC’s reference once it has it',
    tags: ['NBFC'],
    auth: 'user',
    status: 201,
    body: ApplicationBody,
    response: Application,
    errors: { 404: 'Consumer or battery not found', 409: 'APPLICATION_OPEN / KYC_NOT_VERIFIED (the consumer’s KYC is not verified yet)' },
    handler: async ({ user, body }) => applications.waitForNbfc((await applications.submit(await callerOf(deps, user), body)).id),
  });
  routes.route({
    method: 'post',
    path: '/nbfc/webhook-status',
    summary: 'The NBFC’s status webhook (signed: X-NBFC-Signature = hex HMAC-SHA256 of the raw body)',
    description:
      'A forged or unsigned call is 401 and changes nothing; a repeated event (X-NBFC-Event-Id / event_id) is 200 `duplicate: true` and changes nothing.',
    tags: ['NBFC'],
    body: WebhookBody,
    errors: { 401: 'INVALID_SIGNATURE', 404: 'Application not found' },
    handler: ({ req, body }) => webhooks.receive(req.rawBody, req.header(NBFC_SIGNATURE_HEADER), req.header(NBFC_EVENT_HEADER), body),
  });
  routes.route({
    method: 'post',
    path: '/payments/razorpay/webhook',
    summary: 'Razorpay webhook for EMI payment links (X-Razorpay-Signature over the raw body)',
    tags: ['Payments'],
    errors: { 401: 'INVALID_SIGNATURE' },
    handler: ({ req }) => payments.receive(req.rawBody, req.header('x-razorpay-signature'), req.header('x-razorpay-event-id'), req.body ?? {}),
  });
};
