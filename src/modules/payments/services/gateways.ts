import type { GatewayName, PaymentGateway } from '../gateways/gateway';

/** The adapters by name; the gateways module's `createGateways(config)` builds one. */
export type GatewayRegistry = Partial<Record<GatewayName, PaymentGateway>>;
