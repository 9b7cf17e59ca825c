import type { MikroORM } from '@mikro-orm/postgresql';
import { executor } from '../../../kernel/sql';
import { hashChargerPassword, newChargerId } from './charger-credentials';

export interface NewCharger {
  deviceNumber: string;
  /** Its Basic-auth password (security profile 1). */
  password: string;
  /** MNT minor units per kWh and per waiting minute. */
  price: number;
  waitingPrice: number;
  lng: number;
  lat: number;
}

/** Provisions chargers (dev demo data, tests, an operator's script). */
export async function registerCharger(orm: MikroORM, c: NewCharger): Promise<string> {
  const id = newChargerId();
  const [row] = await executor(orm)(
    `insert into ev_chargers (id, device_number, price, waiting_price, lng, lat, password_hash) values (?, ?, ?, ?, ?, ?, ?)
     on conflict (device_number) do update set price = excluded.price, waiting_price = excluded.waiting_price, lng = excluded.lng, lat = excluded.lat, password_hash = excluded.password_hash
     returning id`,
    [id, c.deviceNumber, c.price, c.waitingPrice, c.lng, c.lat, hashChargerPassword(c.password)],
  );
  return row.id as string;
}
