import type { Config, SurfaceName } from '../../config';
import { createGateways, type GatewayName, type GatewayRegistry } from '../../modules/payments';

/** The payment gateways each product takes money through. */
const SURFACE_GATEWAYS: Record<SurfaceName, readonly GatewayName[]> = {
  chargeghar: ['khalti', 'esewa', 'stripe'],
  ev: [],
  water: [],
  fleet: [],
};

/** Only the gateways of the surfaces this deployment serves (SURFACES) are built. */
export function gatewaysFor(config: Config): GatewayRegistry {
  const names = [...new Set(config.SURFACES.flatMap((s) => SURFACE_GATEWAYS[s.name]))];
  return createGateways(config, { only: names, timeoutMs: config.GATEWAY_HTTP_TIMEOUT_MS });
}
