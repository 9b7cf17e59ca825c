import { surfaceProfile } from '../../../config';
import type { ApiDeps } from '../../deps';

/** This surface's product: its brand and the currency its wallets and prices are in. */
export const chargegharProfile = (deps: ApiDeps) => surfaceProfile(deps.config, 'chargeghar');
