import { Migration } from '@mikro-orm/migrations';

/**
 * The push sweeper reads `queued` fcm_logs oldest first, `(created_at, id)` as the page cursor.
 * Partial: only queued logs are indexed, a handful at any time however large the table grows.
 */
export class Migration20261123000210_push_sweeper extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "fcm_logs_queued_created_index" on "fcm_logs" ("created_at", "id") where "status" = 'queued';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "fcm_logs_queued_created_index";`);
  }
}
