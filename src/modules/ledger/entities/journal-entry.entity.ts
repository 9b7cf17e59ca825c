import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const ENTRY_TYPES = [
  'topup',
  'rental_charge',
  'fine',
  'admin_credit',
  'points_award',
  'refund',
  'due_payment',
  // The water product's sales (seed 002).
  'water_sale',
  // The fleet product's loans (seed 004).
  'loan_disbursement',
  'emi_interest',
  'late_fee',
  'emi_collection',
  'loan_prepayment',
  'loan_foreclosure',
  // The EV product's charging sessions (seed 000).
  'charging',
] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** One money movement; `idempotencyKey` is derived from its cause (`topup:<intentId>`). Append-only. */
@Entity({ tableName: 'journal_entries' })
export class JournalEntry {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 200, unique: true })
  idempotencyKey!: string;

  @Property({ type: 'string', length: 32 })
  type!: string;

  /** The user the movement concerns, for their history. */
  @Property({ type: 'uuid', nullable: true })
  userId?: string | null;

  @Property({ type: 'string', length: 255, nullable: true })
  description?: string | null;

  @Property({ type: 'json', nullable: true })
  metadata?: Record<string, unknown> | null;

  /** Admin or system actor that caused it (audit). */
  @Property({ type: 'string', length: 64, nullable: true })
  createdBy?: string | null;

  @Property({ type: 'uuid', nullable: true })
  reversesEntryId?: string | null;

  /** Which reversal of `reversesEntryId` this is: 0, then 1 after the first was voided (itself reversed), … */
  @Property({ type: 'integer', default: 0 })
  reversalSeq: number = 0;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
