import { auditEntities } from '../modules/audit';
import { engagementEntities } from '../modules/engagement';
import { identityEntities } from '../modules/identity';
import { ledgerEntities } from '../modules/ledger';
import { paymentsEntities } from '../modules/payments';
import { promotionsEntities } from '../modules/promotions';
import { rentalsEntities } from '../modules/rentals';
import { stationsEntities } from '../modules/stations';
import { socialEntities } from '../modules/social';
import { dispensingEntities } from '../modules/dispensing';
import { loansEntities } from '../modules/loans';
import { chargingEntities } from '../modules/charging';

/** Every module's entities: what the ORM maps. Each module lists its own in its entities/index.ts. */
export const entities = [
  ...identityEntities,
  ...engagementEntities,
  ...ledgerEntities,
  ...paymentsEntities,
  ...stationsEntities,
  ...rentalsEntities,
  ...promotionsEntities,
  ...auditEntities,
  ...socialEntities,
  ...dispensingEntities,
  ...loansEntities,
  ...chargingEntities,
];
