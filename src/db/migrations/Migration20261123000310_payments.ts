import { Migration } from '@mikro-orm/migrations';

/** Payment intents, de-duplicated gateway notifications, refund requests, referral codes and referrals. */
export class Migration20261123000310_payments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "payment_intents" ("id" uuid not null, "user_id" uuid not null, "purpose" varchar(16) not null default 'wallet_topup', "gateway" varchar(16) not null, "amount_minor" bigint not null, "currency" varchar(3) not null default 'NPR', "status" varchar(16) not null default 'pending', "gateway_ref" varchar(128) null, "payment_url" text null, "session_extra" jsonb null, "gateway_txn_id" varchar(128) null, "failure_reason" varchar(255) null, "journal_entry_id" uuid null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "completed_at" timestamptz null, constraint "payment_intents_pkey" primary key ("id"), constraint "payment_intents_amount_positive" check ("amount_minor" > 0));`,
    );
    this.addSql(`create index "payment_intents_user_id_created_at_index" on "payment_intents" ("user_id", "created_at");`);
    this.addSql(`create unique index "payment_intents_gateway_ref_unique" on "payment_intents" ("gateway", "gateway_ref") where "gateway_ref" is not null;`);

    this.addSql(
      `create table "payment_webhook_events" ("id" bigserial, "gateway" varchar(16) not null, "event_id" varchar(200) not null, "intent_id" uuid null, "gateway_ref" varchar(128) null, "status" varchar(16) not null, "payload" jsonb null, "received_at" timestamptz not null default now(), constraint "payment_webhook_events_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "payment_webhook_events" add constraint "payment_webhook_events_gateway_event_id_unique" unique ("gateway", "event_id");`);

    this.addSql(
      `create table "refund_requests" ("id" uuid not null, "user_id" uuid not null, "transaction_id" uuid not null, "amount_minor" bigint not null, "currency" varchar(3) not null default 'NPR', "reason" varchar(500) null, "status" varchar(16) not null default 'pending', "gateway" varchar(16) null, "gateway_refund_id" varchar(128) null, "decided_by" varchar(64) null, "decision_reason" varchar(500) null, "failure_reason" varchar(255) null, "reversal_entry_id" uuid null, "created_at" timestamptz not null default now(), "decided_at" timestamptz null, "completed_at" timestamptz null, constraint "refund_requests_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "refund_requests_user_id_index" on "refund_requests" ("user_id", "created_at");`);
    this.addSql(`create index "refund_requests_status_index" on "refund_requests" ("status", "created_at");`);
    this.addSql(
      `create unique index "refund_requests_live_transaction_unique" on "refund_requests" ("transaction_id") where "status" in ('pending', 'approved', 'completed');`,
    );

    this.addSql(
      `create table "referral_codes" ("user_id" uuid not null, "code" varchar(16) not null, "created_at" timestamptz not null default now(), constraint "referral_codes_pkey" primary key ("user_id"));`,
    );
    this.addSql(`alter table "referral_codes" add constraint "referral_codes_code_unique" unique ("code");`);

    this.addSql(
      `create table "referrals" ("invitee_id" uuid not null, "inviter_id" uuid not null, "code" varchar(16) not null, "status" varchar(16) not null default 'pending', "created_at" timestamptz not null default now(), "awarded_at" timestamptz null, constraint "referrals_pkey" primary key ("invitee_id"), constraint "referrals_not_self" check ("invitee_id" <> "inviter_id"));`,
    );
    this.addSql(`create index "referrals_inviter_id_index" on "referrals" ("inviter_id");`);
  }
}
