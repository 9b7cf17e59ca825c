import { Migration } from '@mikro-orm/migrations';

/**
 * Fleet battery reconcile: when a battery's heartbeat reports another status than the one its row
 * says was commanded (a reset or tampered battery), the bridge sends the command again, at most
 * once per `FLEET_STATUS_RESEND_SECONDS` per battery (across bridges): this is when it last did.
 */
export class Migration20261203200000_battery_status_resent extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "fleet_batteries" add column "status_resent_at" timestamptz null;`);
  }
}
