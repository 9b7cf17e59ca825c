import { Migration } from '@mikro-orm/migrations';

/**
 * The station lists' state filter (online, offline, maintenance) reads this index: a list's capped total
 * (src/kernel/paging.ts listTotal) then reads only the matching stations, never all 100k when few match.
 */
export class Migration20261203100000_station_state_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "stations_active_state" on "stations" ("online", "maintenance") where "status" = 'active';`);
  }
}
