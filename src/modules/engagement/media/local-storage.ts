import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { MediaRef, MediaStorage, PutMediaInput, StoredMedia } from './storage';

/** Private files live here, inside UPLOAD_DIR: a dot-folder the /media route never serves, mode 0700, files 0600. */
export const PRIVATE_FOLDER = '.private';

/**
 * Files under UPLOAD_DIR. Public ones are served by the API at `<mount>/media/<file>`; their names
 * are random UUIDs, so a URL is as hard to guess as a Cloudinary one. Private ones (KYC documents)
 * go to UPLOAD_DIR/.private and are read only through a signed link (private-links.ts).
 */
export class LocalMediaStorage implements MediaStorage {
  readonly name = 'local' as const;
  constructor(readonly dir: string) {}

  private pathOf(ref: Pick<MediaRef, 'storageKey' | 'visibility'>): string {
    return path.join(this.dir, ref.visibility === 'private' ? PRIVATE_FOLDER : '', path.basename(ref.storageKey));
  }

  async put({ key, file: incoming, type, surfaceBaseUrl, visibility }: PutMediaInput): Promise<StoredMedia> {
    const file = `${key}.${type.ext}`;
    const target = this.pathOf({ storageKey: file, visibility });
    await fs.mkdir(path.dirname(target), { recursive: true, mode: visibility === 'private' ? 0o700 : 0o755 });
    // The incoming folder is inside UPLOAD_DIR: a rename, not a copy.
    await fs.rename(incoming.path, target);
    await fs.chmod(target, visibility === 'private' ? 0o600 : 0o644);
    return { storageKey: file, url: visibility === 'private' ? '' : `${surfaceBaseUrl}/media/${file}` };
  }

  async open(ref: MediaRef): Promise<Readable | undefined> {
    const file = this.pathOf(ref);
    try {
      await fs.access(file);
    } catch {
      return undefined;
    }
    return createReadStream(file);
  }

  async remove(ref: MediaRef): Promise<void> {
    await fs.rm(this.pathOf(ref), { force: true });
  }
}
