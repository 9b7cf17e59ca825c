import { Migration } from '@mikro-orm/migrations';

/**
 * Private uploads (KYC documents, issue 10 item 6): served only through short-lived signed links;
 * `erased_at` marks the files of an erased account until they are deleted from storage.
 */
export class Migration20261202040000_private_media extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "media_uploads" add column "visibility" varchar(16) not null default 'public';`);
    this.addSql(`alter table "media_uploads" add column "erased_at" timestamptz null;`);
  }
}
