import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Station } from './station.entity';

export const POWER_BANK_STATUSES = ['available', 'rented', 'maintenance', 'lost'] as const;
export type PowerBankStatus = (typeof POWER_BANK_STATUSES)[number];

@Entity({ tableName: 'power_banks' })
export class PowerBank {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true })
  sn!: string;

  @Property({ type: 'string', length: 16, default: 'available' })
  status: PowerBankStatus = 'available';

  @Property({ type: 'integer', default: 100 })
  batteryLevel: number = 100;

  /** Where it sits now; null while rented or lost. */
  @ManyToOne(() => Station, { nullable: true, deleteRule: 'set null' })
  station?: Station | null;

  @Property({ type: 'integer', nullable: true })
  slotIndex?: number | null;

  /** The rental that last took it out of a bay: who has it while it is `rented`. */
  @Property({ type: 'uuid', nullable: true })
  lastRentalId?: string | null;

  /** Replacement price charged when it is declared lost, in minor units. */
  @Property({ type: 'integer', default: 200000 })
  priceMinor: number = 200000;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
