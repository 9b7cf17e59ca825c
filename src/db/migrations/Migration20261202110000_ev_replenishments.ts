import { Migration } from '@mikro-orm/migrations';

/** EV wallet top-ups through QPay v2 (issue 14): one row per invoice, settled once by its `qpay-invoice:<invoice_id>` workflow. */
export class Migration20261202110000_ev_replenishments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "ev_replenishments" ("id" varchar(24) not null, "user_id" uuid not null, "invoice_id" varchar(64) null, "amount_minor" bigint not null, "status" varchar(16) not null default 'pending', "callback_token" varchar(64) not null, "payment_id" varchar(64) null, "short_url" varchar(500) null, "created_at" timestamptz not null default now(), "settled_at" timestamptz null, constraint "ev_replenishments_pkey" primary key ("id"), constraint "ev_replenishments_status" check ("status" in ('pending', 'success', 'error', 'canceled')), constraint "ev_replenishments_amount" check ("amount_minor" > 0));`,
    );
    this.addSql(`alter table "ev_replenishments" add constraint "ev_replenishments_invoice_id_unique" unique ("invoice_id");`);
    this.addSql(`create index "ev_replenishments_user_id_index" on "ev_replenishments" ("user_id");`);
  }
}
