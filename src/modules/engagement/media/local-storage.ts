import fs from 'node:fs/promises';
import path from 'node:path';
import type { MediaStorage, PutMediaInput, StoredMedia } from './storage';

/**
 * Files under UPLOAD_DIR, served by the API at `<mount>/media/<file>`. File names are random
 * UUIDs, so a URL is as hard to guess as a Cloudinary one (anyone holding it can read the file).
 */
export class LocalMediaStorage implements MediaStorage {
  readonly name = 'local' as const;
  constructor(readonly dir: string) {}

  async put({ key, file: incoming, type, surfaceBaseUrl }: PutMediaInput): Promise<StoredMedia> {
    const file = `${key}.${type.ext}`;
    await fs.mkdir(this.dir, { recursive: true });
    // The incoming folder is inside this one: a rename, not a copy.
    await fs.rename(incoming.path, path.join(this.dir, file));
    await fs.chmod(path.join(this.dir, file), 0o644);
    return { storageKey: file, url: `${surfaceBaseUrl}/media/${file}` };
  }
}
