import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { Station } from './station.entity';

export const SLOT_STATUSES = ['occupied', 'empty', 'faulty'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

/** One bay of a kiosk, as last reported by the device's heartbeat or events. */
@Entity({ tableName: 'slots' })
@Unique({ properties: ['station', 'index'] })
export class Slot {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne('Station', { deleteRule: 'cascade' })
  station!: Station;

  @Property({ type: 'integer' })
  index!: number;

  @Property({ type: 'string', length: 16, default: 'empty' })
  status: SlotStatus = 'empty';

  /** Serial of the power bank in the bay, if any. */
  @Property({ type: 'string', length: 64, nullable: true })
  powerBankSn?: string | null;

  @Property({ type: 'integer', nullable: true })
  batteryLevel?: number | null;

  /** When the kiosk itself last reported this bay (heartbeat, slot or return event); `updatedAt` also moves with the backend's own inventory writes. */
  @Property({ type: 'datetime', nullable: true })
  reportedAt?: Date | null;

  /** The kiosk's own time of that report: a report older than it (delivered late) does not change the bay. */
  @Property({ type: 'datetime', nullable: true })
  reportedTs?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
