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
      'Form-encoded (id, status Sent|Submitted|Buffered|Rejected|Success|Failed, phoneNumber, networkCode, failureReason with Rejected/Failed; other fields such as retryCount are kept in the event log); the URL carries the secret `token` (AT_DELIVERY_REPORT_TOKEN).',
    tags: ['SMS'],
    query: z.object({ token: z.string() }),
    body: z
      .object({
        id: z.string().min(1).max(80),
        // Confirmed against docs.africastalking.com/sms/deliveryreports: these six statuses; failureReason only with Rejected or Failed.
        status: z.enum(['Sent', 'Submitted', 'Buffered', 'Rejected', 'Success', 'Failed']),
        phoneNumber: z.string().optional(),
        networkCode: z.string().max(16).optional(),
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
