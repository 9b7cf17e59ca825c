import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import type { Config } from '../../../config';
import { MediaUpload } from '../entities';
import { maxBytesFor } from '../rules/media-types';
import { PRIVATE_PURPOSES, type MediaKind, type UploadPurpose } from '../entities/media-upload.entity';
import { scanFile } from '../media/clamd';
import { fileTooLarge, receiveUpload, type IncomingFile } from '../media/incoming';
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

  /** Where uploads are streamed before they are checked and stored (a hidden folder the /media route never serves). */
  get incomingDir(): string {
    return path.join(path.resolve(this.deps.config.UPLOAD_DIR), '.incoming');
  }

  /** Streams one upload to disk, cut at its type's size limit (see receiveUpload). */
  async receive(stream: Readable): Promise<IncomingFile> {
    await fs.mkdir(this.incomingDir, { recursive: true, mode: 0o700 });
    return receiveUpload(stream, this.incomingDir, { image: this.deps.config.UPLOAD_MAX_IMAGE_BYTES, video: this.deps.config.UPLOAD_MAX_VIDEO_BYTES });
  }

  /** Stores a received file (its type already read from its bytes, its size checked) and records it; the incoming file is gone afterwards. */
  async store(input: { userId: string; file: IncomingFile; originalName?: string; purpose: UploadPurpose; surfaceBaseUrl: string }) {
    try {
      return await this.storeReceived(input);
    } finally {
      await fs.rm(input.file.path, { force: true });
    }
  }

  /** With CLAMD_HOST set, every upload is scanned before it is stored; a finding is a 422 and nothing is kept. */
  private async scan(file: IncomingFile) {
    const { CLAMD_HOST, CLAMD_PORT, CLAMD_TIMEOUT_MS } = this.deps.config;
    if (!CLAMD_HOST) return;
    const result = await scanFile(file.path, { host: CLAMD_HOST, port: CLAMD_PORT, timeoutMs: CLAMD_TIMEOUT_MS });
    if (!result.clean) throw new AppError('UPLOAD_REJECTED', 'The file was refused by the virus scanner', 422, { signature: result.signature });
  }

  private async storeReceived(input: { userId: string; file: IncomingFile; originalName?: string; purpose: UploadPurpose; surfaceBaseUrl: string }) {
    const { type, size } = input.file;
    const limit = maxBytesFor(type.kind, { image: this.deps.config.UPLOAD_MAX_IMAGE_BYTES, video: this.deps.config.UPLOAD_MAX_VIDEO_BYTES });
    if (size > limit) throw fileTooLarge(type.kind, limit);
    if (input.purpose === 'kyc_document' && type.kind === 'video') {
      throw new AppError('UNSUPPORTED_FILE_TYPE', 'KYC documents must be images or PDF', 400);
    }
    await this.scan(input.file);
    const visibility = PRIVATE_PURPOSES.includes(input.purpose) ? 'private' : 'public';
    const id = randomUUID();
    const stored = await this.storage.put({ key: randomUUID(), file: input.file, type, surfaceBaseUrl: input.surfaceBaseUrl, visibility });
    const em = this.deps.orm.em.fork();
    const row = Object.assign(new MediaUpload(), {
      id,
      userId: input.userId,
      storage: this.storage.name,
      storageKey: stored.storageKey,
      // A private file's URL is only a reference: it is read through a signed link to it (PrivateMediaLinks).
      url: visibility === 'private' ? `${input.surfaceBaseUrl}/media/private/${id}` : stored.url,
      visibility,
      mimeType: type.mime,
      kind: type.kind,
      sizeBytes: size,
      originalName: input.originalName?.slice(0, 255) ?? null,
      purpose: input.purpose,
    });
    await em.persistAndFlush(row);
    return uploadDto(row);
  }
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
  opts: { privateOnly?: boolean } = {},
) {
  const wanted = Object.entries(fields).filter((e): e is [string, string] => !!e[1]);
  if (!wanted.length) return;
  const rows = await em.find(MediaUpload, { url: { $in: wanted.map(([, url]) => url) } });
  const byUrl = new Map(rows.map((r) => [r.url, r]));
  // A well-formed URL that names no upload of this account refers to nothing (404), and an upload of the
  // wrong kind or visibility is a conflict with that file's state (409): neither is a malformed request,
  // which is what a 400 says (the document cannot know which files exist).
  const missing = wanted.filter(([, url]) => byUrl.get(url)?.userId !== userId);
  if (missing.length)
    throw new AppError(
      'UPLOAD_NOT_FOUND',
      'Unknown uploaded file',
      404,
      missing.map(([field]) => ({ field, message: 'Must be a URL returned by /app/upload for this account', code: 'custom' })),
    );
  const unsuitable = wanted.flatMap(([field, url]) => {
    const row = byUrl.get(url)!;
    if (!kinds.includes(row.kind)) return [{ field, message: `Must be ${kinds.join(' or ')}, not ${row.kind}`, code: 'custom' }];
    if (opts.privateOnly && row.visibility !== 'private')
      return [{ field, message: 'Must be a private upload: upload it with purpose kyc_document', code: 'custom' }];
    return [];
  });
  if (unsuitable.length) throw new AppError('UPLOAD_UNSUITABLE', 'Unsuitable uploaded file', 409, unsuitable);
}
