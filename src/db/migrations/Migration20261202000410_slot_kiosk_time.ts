import { Migration } from '@mikro-orm/migrations';

/**
 * The kiosk's own time of the latest report applied to a bay (heartbeat, slot or return event), so
 * a report that arrives late (a heartbeat queued before a slot event) cannot undo a newer one.
 */
export class Migration20261202000410_slot_kiosk_time extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "slots" add column "reported_ts" timestamptz null;`);
  }
}
