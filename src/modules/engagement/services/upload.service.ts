import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, Errors } from '../../../kernel/errors';
import type { Config } from '../../../config';
import { MediaUpload } from '../entities';
import { ACCEPTED_TYPES, maxBytesFor, sniffMediaType } from '../rules/media-types';
import type { MediaKind, UploadPurpose } from '../entities/media-upload.entity';
import { CloudinaryMediaStorage } from '../media/cloudinary/cloudinary.storage';
import { LocalMediaStorage } from '../media/local-storage';
import type { MediaStorage } from '../media/storage';

/** Cloudinary when CLOUDINARY_URL is set, local disk otherwise. */
export function createMediaStorage(config: Config): MediaStorage {
  if (config.CLOUDINARY_URL) return new CloudinaryMediaStorage(config.CLOUDINARY_URL, config.CLOUDINARY_API_BASE);
  return new LocalMediaStorage(path.resolve(config.UPLOAD_DIR));
}

export function uploadDto(m: MediaUpload) {
  return {
    id: m.id,
    url: m.url,
    mime_type: m.mimeType,
    kind: m.kind,
    size_bytes: m.sizeBytes,
    purpose: m.purpose,
    storage: m.storage,
    original_name: m.originalName ?? null,
    created_at: m.createdAt.toISOString(),
  };
}

export class UploadService {
  readonly storage: MediaStorage;
  constructor(private readonly deps: { orm: MikroORM; config: Config; storage?: MediaStorage }) {
    this.storage = deps.storage ?? createMediaStorage(deps.config);
  }

  /** Checks the real type (magic bytes) and the size of its kind, stores the file and records it. */
  async store(input: { userId: string; buffer: Buffer; originalName?: string; purpose: UploadPurpose; surfaceBaseUrl: string }) {
    const type = sniffMediaType(input.buffer);
    if (!type) {
      throw new AppError('UNSUPPORTED_FILE_TYPE', `Only ${ACCEPTED_TYPES.join(', ')} files are accepted`, 400, { accepted: ACCEPTED_TYPES });
    }
    const limit = maxBytesFor(type.kind, { image: this.deps.config.UPLOAD_MAX_IMAGE_BYTES, video: this.deps.config.UPLOAD_MAX_VIDEO_BYTES });
    if (input.buffer.length > limit) throw fileTooLarge(type.kind, limit);
    if (input.purpose === 'kyc_document' && type.kind === 'video') {
      throw new AppError('UNSUPPORTED_FILE_TYPE', 'KYC documents must be images or PDF', 400);
    }
    const stored = await this.storage.put({ key: randomUUID(), buffer: input.buffer, type, surfaceBaseUrl: input.surfaceBaseUrl });
    const em = this.deps.orm.em.fork();
    const row = Object.assign(new MediaUpload(), {
      userId: input.userId,
      storage: this.storage.name,
      storageKey: stored.storageKey,
      url: stored.url,
      mimeType: type.mime,
      kind: type.kind,
      sizeBytes: input.buffer.length,
      originalName: input.originalName?.slice(0, 255) ?? null,
      purpose: input.purpose,
    });
    await em.persistAndFlush(row);
    return uploadDto(row);
  }
}

export function fileTooLarge(kind: MediaKind | 'file', limit: number) {
  return new AppError('FILE_TOO_LARGE', `The ${kind} is larger than ${Math.floor(limit / 1024)} KB`, 413, { max_bytes: limit });
}

/**
 * Every URL must be one that /app/upload returned to this user, of an allowed kind; otherwise a
 * 400 naming the field. Keeps records from pointing at arbitrary outside files.
 */
export async function assertOwnUploads(
  em: EntityManager,
  userId: string,
  fields: Record<string, string | null | undefined>,
  kinds: MediaKind[] = ['image', 'document'],
) {
  const wanted = Object.entries(fields).filter((e): e is [string, string] => !!e[1]);
  if (!wanted.length) return;
  const rows = await em.find(MediaUpload, { url: { $in: wanted.map(([, url]) => url) } });
  const byUrl = new Map(rows.map((r) => [r.url, r]));
  const problems = wanted.flatMap(([field, url]) => {
    const row = byUrl.get(url);
    if (!row || row.userId !== userId) return [{ field, message: 'Must be a URL returned by /app/upload for this account' }];
    if (!kinds.includes(row.kind)) return [{ field, message: `Must be ${kinds.join(' or ')}, not ${row.kind}` }];
    return [];
  });
  if (problems.length) throw Errors.validation(problems, 'Unknown or unsuitable uploaded file');
}
