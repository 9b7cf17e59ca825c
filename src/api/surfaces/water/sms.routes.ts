import { z } from 'zod';
import { AppError } from '../../../kernel/errors';
import { recordDeliveryReport } from '../../../modules/dispensing';
import type { SurfaceModule } from '../types';

/** Africa's Talking delivery reports (form post to the dashboard's URL, which carries `?token=`). */
export const smsRoutes: SurfaceModule = (routes, deps) => {
  routes.route({
    method: 'post',
    path: '/sms/delivery-reports',
    summary: "Africa's Talking SMS delivery report: updates the SMS log",
    description:
      'Form-encoded (id, status, phoneNumber, networkCode, failureReason, retryCount); the URL carries the secret `token` (AT_DELIVERY_REPORT_TOKEN).',
    tags: ['SMS'],
    query: z.object({ token: z.string() }),
    body: z
      .object({
        id: z.string().min(1).max(80),
        status: z.string().min(1).max(24),
        phoneNumber: z.string().optional(),
        failureReason: z.string().max(64).optional(),
      })
      .passthrough(),
    errors: { 401: 'Missing or wrong token' },
    message: 'Delivery report processed',
    handler: async ({ query, body }) => {
      if (query.token !== deps.config.AT_DELIVERY_REPORT_TOKEN) throw new AppError('UNAUTHORIZED', 'Invalid delivery report token', 401);
      return { updated: await recordDeliveryReport(deps.orm, body) };
    },
  });
};
