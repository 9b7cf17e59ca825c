import { Collection, Entity, OneToMany, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Slot } from './slot.entity';

/** A kiosk. `sn` is the serial printed in its QR code and its MQTT topic key. */
@Entity({ tableName: 'stations' })
export class Station {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true })
  sn!: string;

  @Property({ type: 'string', length: 64, nullable: true, unique: true })
  imei?: string | null;

  /** The human-readable id printed on the kiosk (e.g. `0023 SN: 40000444`). */
  @Property({ type: 'string', length: 64, nullable: true })
  qrCode?: string | null;

  @Property({ type: 'string', length: 160 })
  name!: string;

  @Property({ type: 'string', length: 255, nullable: true })
  address?: string | null;

  @Property({ type: 'double' })
  latitude!: number;

  @Property({ type: 'double' })
  longitude!: number;

  @Property({ type: 'integer' })
  slotCount!: number;

  @Property({ type: 'boolean', default: false })
  online: boolean = false;

  @Property({ type: 'datetime', nullable: true })
  lastSeenAt?: Date | null;

  @Property({ type: 'boolean', default: false })
  maintenance: boolean = false;

  @Property({ type: 'string', length: 16, default: 'active' })
  status: string = 'active';

  @OneToMany(() => Slot, (slot) => slot.station, { orderBy: { index: 'asc' } })
  slots = new Collection<Slot>(this);

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
