import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const KYC_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

/** One KYC attempt (Nepali citizenship certificate, both sides). The latest one is the user's status. */
@Entity({ tableName: 'kyc_submissions' })
export class KycSubmission {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 32, default: 'citizenship' })
  documentType: string = 'citizenship';

  /** Normalised: ASCII digits separated by `-` or `/`. */
  @Property({ type: 'string', length: 32 })
  citizenshipNumber!: string;

  @Property({ type: 'string', length: 120, nullable: true })
  fullName?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  issuedDistrict?: string | null;

  @Property({ type: 'date', nullable: true })
  issuedDate?: string | null;

  @Property({ type: 'string', length: 1024 })
  documentFrontUrl!: string;

  @Property({ type: 'string', length: 1024 })
  documentBackUrl!: string;

  @Property({ type: 'string', length: 16, default: 'pending' })
  status: KycStatus = 'pending';

  @Property({ type: 'string', length: 500, nullable: true })
  rejectionReason?: string | null;

  @Property({ type: 'uuid', nullable: true })
  reviewedBy?: string | null;

  @Property({ type: 'datetime', nullable: true })
  reviewedAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
