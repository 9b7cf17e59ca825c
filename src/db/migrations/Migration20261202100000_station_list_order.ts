import { Migration } from '@mikro-orm/migrations';

/**
 * The app's station list pages through active stations by name or by newest: with these indexes a
 * page reads its 20 rows in order instead of sorting every station (100k stations: a sort spilling to disk).
 */
export class Migration20261202100000_station_list_order extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "stations_active_name" on "stations" ("name", "sn") where "status" = 'active';`);
    this.addSql(`create index "stations_active_newest" on "stations" ("created_at" desc, "sn") where "status" = 'active';`);
  }
}
