import type { GatewayName, PaymentGateway } from '../../integrations/payments/gateway';
import type { MoneyNotification, Notifier } from './ports';
import { logger } from '../../logger';

/** The adapters by name; the gateways module's `createGateways(config)` builds one. */
export type GatewayRegistry = Partial<Record<GatewayName, PaymentGateway>>;

/** Until the notifications context is wired in: a log line per notification. */
export const logNotifier: Notifier = {
  async notify(n: MoneyNotification) { logger.info({ notification: n }, 'notification (no notifier wired)'); },
};
