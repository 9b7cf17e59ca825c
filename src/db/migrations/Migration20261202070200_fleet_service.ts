import { Migration } from '@mikro-orm/migrations';

/** Fleet service tickets (issue 12): each a `service-ticket:<id>` workflow, the assignment's score explained in `assignment`; the admin message log. */
export class Migration20261202070200_fleet_service extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "fleet_service_tickets" ("id" serial primary key, "battery_id" int not null references "fleet_batteries" ("id"), "dealer_id" uuid null, "issue_category" varchar(32) not null, "description" varchar(2000) not null default '', "location" varchar(80) null, "skill_required" varchar(64) null, "priority" varchar(16) not null default 'medium', "status" varchar(16) not null default 'open', "technician_id" uuid null references "fleet_members" ("id"), "assignment" jsonb null, "escalations" int not null default 0, "created_at" timestamptz not null default now(), "assigned_at" timestamptz null, "resolved_at" timestamptz null, constraint "fleet_service_tickets_status_check" check ("status" in ('open','assigned','in_progress','resolved')), constraint "fleet_service_tickets_priority_check" check ("priority" in ('low','medium','high','critical')));`,
    );
    this.addSql(`create index "fleet_service_tickets_status_index" on "fleet_service_tickets" ("status");`);
    // Admin messages (POST /messaging/send-sms|send-otp): who sent what kind to whom; an OTP's code is never kept.
    this.addSql(
      `create table "fleet_message_log" ("id" serial primary key, "sent_by" uuid not null, "kind" varchar(8) not null, "to" varchar(16) not null, "text" varchar(500) null, "status" varchar(16) not null, "provider_response" varchar(255) null, "created_at" timestamptz not null default now());`,
    );
  }
}
