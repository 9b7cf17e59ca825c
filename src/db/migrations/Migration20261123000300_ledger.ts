import { Migration } from '@mikro-orm/migrations';

/**
 * Double-entry ledger: accounts with a cached balance, journal entries with a unique
 * idempotency key, signed postings. A deferred constraint trigger refuses, at commit, any entry
 * whose postings do not sum to zero per currency; postings and entries are append-only.
 */
export class Migration20261123000300_ledger extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "ledger_accounts" ("id" uuid not null default gen_random_uuid(), "owner_type" varchar(16) not null, "owner_id" varchar(64) not null, "kind" varchar(32) not null, "currency" varchar(3) not null, "balance_minor" bigint not null default 0, "guarded" boolean not null default false, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "ledger_accounts_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "ledger_accounts" add constraint "ledger_accounts_owner_kind_currency_unique" unique ("owner_type", "owner_id", "kind", "currency");`,
    );

    this.addSql(
      `create table "journal_entries" ("id" uuid not null default gen_random_uuid(), "idempotency_key" varchar(200) not null, "type" varchar(32) not null, "user_id" uuid null, "description" varchar(255) null, "metadata" jsonb null, "created_by" varchar(64) null, "reverses_entry_id" uuid null, "created_at" timestamptz not null default now(), constraint "journal_entries_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "journal_entries" add constraint "journal_entries_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(
      `alter table "journal_entries" add constraint "journal_entries_reverses_entry_id_foreign" foreign key ("reverses_entry_id") references "journal_entries" ("id");`,
    );
    this.addSql(
      `create unique index "journal_entries_reverses_entry_id_unique" on "journal_entries" ("reverses_entry_id") where "reverses_entry_id" is not null;`,
    );
    this.addSql(`create index "journal_entries_user_id_created_at_index" on "journal_entries" ("user_id", "created_at");`);

    this.addSql(
      `create table "journal_postings" ("id" bigserial, "entry_id" uuid not null, "account_id" uuid not null, "amount_minor" bigint not null, "currency" varchar(3) not null, "allow_negative" boolean not null default false, "balance_after_minor" bigint not null, constraint "journal_postings_pkey" primary key ("id"), constraint "journal_postings_amount_nonzero" check ("amount_minor" <> 0));`,
    );
    this.addSql(
      `alter table "journal_postings" add constraint "journal_postings_entry_id_foreign" foreign key ("entry_id") references "journal_entries" ("id");`,
    );
    this.addSql(
      `alter table "journal_postings" add constraint "journal_postings_account_id_foreign" foreign key ("account_id") references "ledger_accounts" ("id");`,
    );
    this.addSql(`create index "journal_postings_entry_id_index" on "journal_postings" ("entry_id");`);
    this.addSql(`create index "journal_postings_account_id_index" on "journal_postings" ("account_id", "id");`);

    this.addSql(`create or replace function ledger_check_entry_balanced() returns trigger language plpgsql as $$
declare
  bad record;
begin
  if (select count(*) from journal_postings where entry_id = NEW.entry_id) < 2 then
    raise exception 'journal entry % has fewer than two postings', NEW.entry_id using errcode = '23514';
  end if;
  select currency, sum(amount_minor) as total into bad from journal_postings
    where entry_id = NEW.entry_id group by currency having sum(amount_minor) <> 0 limit 1;
  if found then
    raise exception 'journal entry % is unbalanced in %: %', NEW.entry_id, bad.currency, bad.total using errcode = '23514';
  end if;
  if exists (select 1 from journal_postings p join ledger_accounts a on a.id = p.account_id where p.entry_id = NEW.entry_id and a.currency <> p.currency) then
    raise exception 'journal entry % posts to an account of another currency', NEW.entry_id using errcode = '23514';
  end if;
  return null;
end $$;`);
    this.addSql(
      `create constraint trigger "journal_postings_balanced" after insert or update on "journal_postings" deferrable initially deferred for each row execute function ledger_check_entry_balanced();`,
    );

    this.addSql(`create or replace function ledger_append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', TG_TABLE_NAME using errcode = '55000';
end $$;`);
    this.addSql(
      `create trigger "journal_postings_append_only" before update or delete on "journal_postings" for each row execute function ledger_append_only();`,
    );
    this.addSql(
      `create trigger "journal_entries_append_only" before update or delete on "journal_entries" for each row execute function ledger_append_only();`,
    );
  }
}
