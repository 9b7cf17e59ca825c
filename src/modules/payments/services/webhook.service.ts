import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { AppError, Errors } from '../../../kernel/errors';
import { InvalidNotificationError, type GatewayName, type IncomingNotification, type VerifiedNotification } from '../gateways/gateway';
import { gatewayNotifiedSignal } from '../workflows/definitions';
import type { GatewayRegistry } from './gateways';
import { intentWorkflowId, type PaymentIntentService } from './payment-intent.service';
import { GatewayEventsService } from './gateway-events.service';

/**
 * Gateway callbacks and webhooks: authenticity checked by the adapter (nothing is stored or
 * signalled otherwise), de-duplicated on (gateway, event id), then signalled to the intent's
 * workflow, which looks the payment up itself. An unknown intent is a 404, never a new workflow.
 */
export class WebhookService {
  private readonly events: GatewayEventsService;
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; gateways?: GatewayRegistry; intents: PaymentIntentService; taskQueue: string }) {
    this.events = new GatewayEventsService({ orm: deps.orm, temporal: deps.temporal, taskQueue: deps.taskQueue });
  }

  async receive(gateway: GatewayName, n: IncomingNotification) {
    const adapter = this.deps.gateways?.[gateway];
    if (!adapter) throw new AppError('PAYMENT_METHOD_UNAVAILABLE', `${gateway} is not configured`, 503);
    let v: VerifiedNotification;
    try {
      v = await adapter.verifyNotification(n);
    } catch (err) {
      if (err instanceof InvalidNotificationError || (err as { type?: string }).type === 'InvalidNotification') {
        throw new AppError('INVALID_SIGNATURE', `The ${gateway} notification failed verification: ${(err as Error).message}`, 401);
      }
      throw err;
    }
    if (v.kind === 'other') return { intent_id: v.intentId ?? null, event_id: v.eventId, status: v.status, ignored: true };
    const conn = this.deps.orm.em.getConnection();
    const byId = v.intentId && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v.intentId) ? v.intentId : null;
    const [intent] = await conn.execute(
      `select id, status, user_id, currency, gateway from payment_intents where gateway = ? and (gateway_ref = ? or id = ?) order by (gateway_ref = ?) desc limit 1`,
      [gateway, v.gatewayRef, byId, v.gatewayRef],
    );
    if (!intent) throw Errors.notFound('Payment intent');
    const inserted = await conn.execute(
      `insert into payment_webhook_events (gateway, event_id, intent_id, gateway_ref, status, payload) values (?, ?, ?, ?, ?, ?)
       on conflict (gateway, event_id) do nothing returning id`,
      [gateway, v.eventId, intent.id, v.gatewayRef, v.status, JSON.stringify(v)],
    );
    const base = { intent_id: intent.id as string, event_id: v.eventId, status: v.status };
    if (!inserted.length) return { ...base, duplicate: true };
    // Refunds and disputes: our refunds' outcomes, and what was done in the gateway's dashboard (./gateway-events.service.ts).
    if (v.kind === 'refund' || v.kind === 'dispute') {
      try {
        await this.events.handle(gateway, v, intent as { id: string; user_id: string; currency: string; gateway: string });
      } catch (err) {
        await conn.execute(`delete from payment_webhook_events where id = ?`, [inserted[0].id]);
        throw err;
      }
      return { ...base, duplicate: false };
    }
    try {
      await this.deps.temporal.workflow.getHandle(intentWorkflowId(intent.id)).signal(gatewayNotifiedSignal, { eventId: v.eventId, status: v.status });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        if (v.status === 'success' && intent.status !== 'success') await this.deps.intents.reconcile(intent.id);
        return { ...base, duplicate: false, intent_closed: true };
      }
      // Let the gateway retry: forget the event so the retry is not dropped as a duplicate.
      await conn.execute(`delete from payment_webhook_events where id = ?`, [inserted[0].id]);
      throw err;
    }
    return { ...base, duplicate: false };
  }
}
