import { Migration } from '@mikro-orm/migrations';

/**
 * Water valve command (issue 13): after a station's verify the dispense-otp workflow sends
 * `open_valve` over MQTT and waits for the ack. The OTP row says what became of the valve
 * (`open`, `no_ack`: the OTP stayed usable, `closed`), for the status endpoints.
 */
export class Migration20261202130000_water_valve extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "water_otps" add column "valve_state" varchar(16) null;`);
    this.addSql(`alter table "water_otps" add constraint "water_otps_valve_state_check" check ("valve_state" in ('open','no_ack','closed'));`);
  }
}
