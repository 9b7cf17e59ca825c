import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const MEDIA_KINDS = ['image', 'video', 'document'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
export const UPLOAD_PURPOSES = ['avatar', 'kyc_document', 'issue_report', 'banner', 'other'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];
export type MediaVisibility = 'public' | 'private';
/** Uploads of these purposes are private. */
export const PRIVATE_PURPOSES: readonly UploadPurpose[] = ['kyc_document'];

/** A file stored through /app/upload. Its URL is what other records may reference. */
@Entity({ tableName: 'media_uploads' })
export class MediaUpload {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid', nullable: true })
  userId?: string | null;

  /** `local` or `cloudinary`. */
  @Property({ type: 'string', length: 16 })
  storage!: string;

  /** File name under UPLOAD_DIR, or the Cloudinary public id. */
  @Property({ type: 'string', length: 512 })
  storageKey!: string;

  @Property({ type: 'string', length: 1024, unique: true })
  url!: string;

  @Property({ type: 'string', length: 64 })
  mimeType!: string;

  @Property({ type: 'string', length: 16 })
  kind!: MediaKind;

  @Property({ type: 'integer' })
  sizeBytes!: number;

  @Property({ type: 'string', length: 255, nullable: true })
  originalName?: string | null;

  @Property({ type: 'string', length: 32, default: 'other' })
  purpose: UploadPurpose = 'other';

  /** `private` files (KYC documents) are served only through short-lived signed links (media/private-links.ts). */
  @Property({ type: 'string', length: 16, default: 'public' })
  visibility: MediaVisibility = 'public';

  /** Set when the owner's account is erased; the file is then deleted from storage and the row with it. */
  @Property({ type: 'datetime', nullable: true })
  erasedAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
