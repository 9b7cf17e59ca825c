import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const STATION_ISSUE_TYPES = ['offline', 'damaged', 'dirty', 'location_wrong', 'no_power_bank', 'other'] as const;
export type StationIssueType = (typeof STATION_ISSUE_TYPES)[number];
export const STATION_ISSUE_STATUSES = ['open', 'acknowledged', 'resolved', 'dismissed'] as const;
export type StationIssueStatus = (typeof STATION_ISSUE_STATUSES)[number];

/** A user's report of a problem with a station. */
@Entity({ tableName: 'station_issue_reports' })
export class StationIssueReport {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  stationId!: string;

  @Property({ type: 'uuid', nullable: true })
  userId?: string | null;

  @Property({ type: 'string', length: 32 })
  type!: StationIssueType;

  @Property({ type: 'string', length: 1000, nullable: true })
  description?: string | null;

  @Property({ type: 'json', default: '[]' })
  imageUrls: string[] = [];

  @Property({ type: 'string', length: 16, default: 'open' })
  status: StationIssueStatus = 'open';

  @Property({ type: 'string', length: 500, nullable: true })
  resolutionNote?: string | null;

  @Property({ type: 'datetime', nullable: true })
  resolvedAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
