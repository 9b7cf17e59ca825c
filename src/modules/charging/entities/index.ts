import { Charger } from './charger.entity';
import { Purchase } from './purchase.entity';

/** The charging module's MikroORM entities (its tables). */
export const chargingEntities = [Charger, Purchase];
export { Charger, Purchase };
