import { Migration } from '@mikro-orm/migrations';

const ATTENTION = `add column "attention_reason" varchar(500) null, add column "attention_step" varchar(64) null, add column "attention_at" timestamptz null,
  add column "attention_prev_status" varchar(16) null, add column "attention_resolved_by" varchar(64) null, add column "attention_resolved_at" timestamptz null,
  add column "attention_note" varchar(500) null`;

/**
 * Payments that cannot go on by themselves, and money that arrives or leaves late:
 * - payment intents and refund requests parked as `needs_attention` (reason, step, since, the
 *   status they had; who resolved them by hand);
 * - intents looked up again after their TTL (`late_check_at`, `late_checks`, `late_outcome`) with
 *   the gateway's last word (`gateway_status`);
 * - a gateway refund's own status (`gateway_refund_status`: Stripe refunds settle later);
 * - a parked refund still holds its transaction (one live refund per transaction);
 * - `payment_reviews`: what happened at a gateway outside our flows (dashboard refunds, disputes,
 *   a refund that failed after it succeeded), for admins;
 * - the ledger's one-reversal rule becomes one *live* reversal per entry: a reversal that was
 *   itself reversed (a refund the gateway refused) is void, and the next reversal takes the next
 *   `reversal_seq`, so the entry can be refunded again without any row being changed.
 */
export class Migration20261202001000_payments_attention extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "payment_intents" ${ATTENTION}, add column "gateway_status" varchar(32) null, add column "late_check_at" timestamptz null,
      add column "late_checks" int not null default 0, add column "late_outcome" varchar(16) null;`);
    this.addSql(`create index "payment_intents_late_check" on "payment_intents" ("late_check_at") where "late_check_at" is not null;`);
    this.addSql(`create index "payment_intents_needs_attention" on "payment_intents" ("attention_at") where "status" = 'needs_attention';`);
    this.addSql(`alter table "refund_requests" ${ATTENTION}, add column "gateway_refund_status" varchar(16) null;`);
    this.addSql(`create index "refund_requests_needs_attention" on "refund_requests" ("attention_at") where "status" = 'needs_attention';`);
    this.addSql(`drop index "refund_requests_live_transaction_unique";`);
    this.addSql(
      `create unique index "refund_requests_live_transaction_unique" on "refund_requests" ("transaction_id") where "status" in ('pending', 'approved', 'completed', 'needs_attention');`,
    );
    this.addSql(`create table "payment_reviews" ("id" uuid not null default gen_random_uuid(), "kind" varchar(32) not null, "gateway" varchar(16) not null,
      "external_id" varchar(128) not null, "intent_id" uuid null, "refund_id" uuid null, "user_id" uuid null, "amount_minor" bigint not null,
      "currency" varchar(3) not null, "entry_id" uuid null, "note" varchar(500) null, "created_at" timestamptz not null default now(),
      "resolved_at" timestamptz null, "resolved_by" varchar(64) null, constraint "payment_reviews_pkey" primary key ("id"));`);
    this.addSql(`create unique index "payment_reviews_kind_external_id_unique" on "payment_reviews" ("kind", "external_id");`);
    this.addSql(`alter table "journal_entries" add column "reversal_seq" int not null default 0;`);
    this.addSql(`drop index "journal_entries_reverses_entry_id_unique";`);
    this.addSql(
      `create unique index "journal_entries_reverses_entry_id_unique" on "journal_entries" ("reverses_entry_id", "reversal_seq") where "reverses_entry_id" is not null;`,
    );
  }
}
