import { z } from 'zod';
import { ChargingService } from '../../../modules/charging';
import type { SurfaceModule } from '../types';

const DeviceParams = z.object({ id: z.string().min(1).max(64).openapi({ description: 'The charger `_id`' }) });
const PurchaseId = z.object({ id: z.string().openapi({ example: '12d76c8bfca2a22c07a6fca1' }) }).openapi('PurchaseId');
const FeedbackBody = z
  .object({ feedback: z.object({ score: z.number().int().min(1).max(5), description: z.string().max(1000).default('') }) })
  .openapi('PurchaseFeedback');

/** `POST /devices/:id/start`, `POST /devices/:id/finish`, `POST /purchases/:id/feedback` (seed 000). */
export const evSessionRoutes: SurfaceModule = (routes, deps) => {
  const charging = new ChargingService(deps);
  routes.route({
    method: 'post',
    path: '/devices/:id/start',
    summary: 'Start charging at this charger',
    description:
      'The charger must be Idle and the balance (less open sessions) at least EV_MIN_BALANCE_MINOR; the balance is held for the session, which stops by itself before spending more. ' +
      'Progress arrives on the NATS topic: `{charging: {id, state, energy (kWh), cost (MNT)}}`. The `id` here is the purchase id.',
    tags: ['Devices'],
    auth: 'user',
    params: DeviceParams,
    response: PurchaseId,
    errors: { 402: 'INSUFFICIENT_BALANCE', 404: 'No such charger', 409: 'CHARGER_NOT_AVAILABLE / SESSION_OPEN' },
    handler: ({ user, params }) => charging.start(user!.id, params.id),
  });
  routes.route({
    method: 'post',
    path: '/devices/:id/finish',
    summary: 'Finish charging: the purchase id',
    description:
      'The charger is told to stop (RemoteStopTransaction); the purchase is billed once the charger stopped and the cable left: energy (kWh) × price + waiting minutes × waitingPrice.',
    tags: ['Devices'],
    auth: 'user',
    params: DeviceParams,
    response: PurchaseId,
    errors: { 404: 'No open session of yours on this charger' },
    handler: ({ user, params }) => charging.finish(user!.id, params.id),
  });
  routes.route({
    method: 'post',
    path: '/purchases/:id/feedback',
    summary: 'Rate a finished session',
    description: 'Owner only, once the purchase is billed; a later call replaces the earlier feedback.',
    tags: ['Purchases'],
    auth: 'user',
    params: z.object({ id: z.string().max(64) }),
    body: FeedbackBody,
    response: z.object({}).openapi('EvOk'),
    errors: { 404: 'No such purchase of yours', 409: 'PURCHASE_NOT_FINISHED' },
    handler: async ({ user, params, body }) => (await charging.feedback(user!.id, params.id, body.feedback), {}),
  });
};
