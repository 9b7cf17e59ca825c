import { Charger } from './charger.entity';
import { Purchase } from './purchase.entity';
import { Replenishment } from './replenishment.entity';

/** The charging module's MikroORM entities (its tables). */
export const chargingEntities = [Charger, Purchase, Replenishment];
export { Charger, Purchase, Replenishment };
