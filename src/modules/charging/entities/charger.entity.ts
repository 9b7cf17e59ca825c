import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** The app's four states: derived from the charger's OCPP status, its connection and the repair flag. */
export const CHARGER_STATES = ['Idle', 'Busy', 'Repair', 'Error'] as const;
export type ChargerState = (typeof CHARGER_STATES)[number];

/**
 * An EV charger (OCPP 1.6-J charge point). `id` is 24 hex characters (the seed's `_id`),
 * `deviceNumber` its OCPP identity (the last path segment of its WebSocket URL). Prices in MNT:
 * `price` per kWh, `waitingPrice` per minute plugged in after charging ended.
 */
@Entity({ tableName: 'ev_chargers' })
export class Charger {
  @PrimaryKey({ type: 'string', length: 24 })
  id!: string;

  @Property({ type: 'string', length: 64, unique: true })
  deviceNumber!: string;

  @Property({ type: 'integer' })
  price!: number;

  @Property({ type: 'integer' })
  waitingPrice!: number;

  @Property({ type: 'double' })
  lng!: number;

  @Property({ type: 'double' })
  lat!: number;

  /** Derived state the app sees (`Idle` only when connected, Available and not in repair). */
  @Property({ type: 'string', length: 8, default: 'Error' })
  state: ChargerState = 'Error';

  /** Last OCPP StatusNotification status of connector 1 (Available, Preparing, Charging, Faulted, ...). */
  @Property({ type: 'string', length: 16, nullable: true })
  ocppStatus?: string | null;

  @Property({ type: 'boolean', default: false })
  connected: boolean = false;

  /** Set by an operator: shown as `Repair` whatever the charger says. */
  @Property({ type: 'boolean', default: false })
  repair: boolean = false;

  /** scrypt hash of the charger's Basic-auth password (OCPP security profile 1). */
  @Property({ type: 'string', length: 200 })
  passwordHash!: string;

  @Property({ type: 'datetime', nullable: true })
  lastSeenAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
