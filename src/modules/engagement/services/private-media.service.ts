import type { Readable } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../../config';
import { MediaUpload } from '../entities';
import { PrivateMediaLinks } from '../media/private-links';
import type { MediaStorage } from '../media/storage';
import { createMediaStorage } from './upload.service';

/**
 * Private files (KYC documents): read through a signed link only, and deleted from storage when
 * their owner's account is erased.
 */
export class PrivateMediaService {
  readonly links: PrivateMediaLinks;
  private readonly storage: MediaStorage;

  constructor(private readonly deps: { orm: MikroORM; config: Config; storage?: MediaStorage }) {
    this.links = new PrivateMediaLinks(deps.config);
    this.storage = deps.storage ?? createMediaStorage(deps.config);
  }

  /** The file behind a signed link; undefined for a bad or expired signature, an unknown, public or erased file alike. */
  async open(id: string, expires: unknown, signature: unknown): Promise<{ mimeType: string; size: number; stream: Readable } | undefined> {
    if (!this.links.verify(id, expires, signature)) return undefined;
    const row = await this.deps.orm.em.fork().findOne(MediaUpload, { id, visibility: 'private', erasedAt: null, storage: this.storage.name });
    if (!row) return undefined;
    const stream = await this.storage.open(row);
    return stream && { mimeType: row.mimeType, size: row.sizeBytes, stream };
  }

  /**
   * Deletes from storage the files of an erased account (marked by the erasure transaction), then
   * their rows. A file that cannot be deleted now keeps its row, so the next call tries again.
   */
  async purgeErased(userId: string): Promise<number> {
    const em = this.deps.orm.em.fork();
    const rows = await em.find(MediaUpload, { userId, erasedAt: { $ne: null }, storage: this.storage.name });
    for (const row of rows) {
      await this.storage.remove(row);
      await em.nativeDelete(MediaUpload, { id: row.id });
    }
    return rows.length;
  }
}
