import fs from 'node:fs';
import { AppError } from '../../../../kernel/errors';
import { Readable } from 'node:stream';
import type { MediaRef, MediaStorage, PutMediaInput, StoredMedia } from '../storage';
import { deliverySignature, parseCloudinaryUrl, signParams, type CloudinaryCredentials, type CloudinaryUploadResponse } from './protocol';

/**
 * Cloudinary's signed upload API over HTTP: POST {apiBase}/v1_1/{cloud}/{resource_type}/upload as
 * multipart with api_key, timestamp, folder, public_id and the SHA-1 signature. Returns secure_url.
 */
export class CloudinaryMediaStorage implements MediaStorage {
  readonly name = 'cloudinary' as const;
  private readonly creds: CloudinaryCredentials;

  constructor(
    cloudinaryUrl: string,
    private readonly apiBase = 'https://api.cloudinary.com',
    private readonly folder = 'chargeghar',
    private readonly timeoutMs = 30_000,
  ) {
    this.creds = parseCloudinaryUrl(cloudinaryUrl);
  }

  async put({ key, file, type, visibility }: PutMediaInput): Promise<StoredMedia> {
    // PDFs go up as `raw` so they are delivered as files, not rendered as images.
    const resourceType = type.kind === 'video' ? 'video' : type.kind === 'document' ? 'raw' : 'image';
    const params: Record<string, string | number> = {
      folder: this.folder,
      public_id: resourceType === 'raw' ? `${key}.${type.ext}` : key,
      timestamp: Math.floor(Date.now() / 1000),
      // Private files use authenticated delivery: reachable only through a URL signed with our secret.
      ...(visibility === 'private' ? { type: 'authenticated' } : {}),
    };
    const form = new FormData();
    for (const [k, v] of Object.entries(params)) form.append(k, String(v));
    form.append('api_key', this.creds.apiKey);
    form.append('signature', signParams(params, this.creds.apiSecret));
    // A Blob backed by the file: fetch streams it from disk.
    form.append('file', await fs.openAsBlob(file.path, { type: type.mime }), `${key}.${type.ext}`);

    let res: Response;
    try {
      res = await fetch(`${this.apiBase}/v1_1/${this.creds.cloudName}/${resourceType}/upload`, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new AppError('UPLOAD_FAILED', `Media storage unreachable: ${(err as Error).message}`, 502);
    }
    const body = (await res.json().catch(() => ({}))) as Partial<CloudinaryUploadResponse> & { error?: { message?: string } };
    if (!res.ok || !body.secure_url || !body.public_id) {
      throw new AppError('UPLOAD_FAILED', `Media storage refused the file: ${body.error?.message ?? `HTTP ${res.status}`}`, 502);
    }
    if (visibility === 'private') return { storageKey: [resourceType, body.public_id, body.secure_url].join('|'), url: '' };
    return { storageKey: body.public_id, url: body.secure_url };
  }

  /** A private file's bytes through its signed delivery URL (only the API, which holds the secret, can build it). */
  async open(ref: MediaRef): Promise<Readable | undefined> {
    const [, , secureUrl] = ref.storageKey.split('|');
    const at = secureUrl?.indexOf('/authenticated/') ?? -1;
    if (at < 0) return undefined;
    const source = secureUrl.slice(at + '/authenticated/'.length);
    const signed = `${secureUrl.slice(0, at)}/authenticated/s--${deliverySignature(source, this.creds.apiSecret)}--/${source}`;
    const res = await fetch(signed, { signal: AbortSignal.timeout(this.timeoutMs) }).catch(() => undefined);
    if (!res?.ok || !res.body) return undefined;
    return Readable.fromWeb(res.body as never);
  }

  /** Cloudinary's signed destroy API for the resource (its delivery type included). */
  async remove(ref: MediaRef): Promise<void> {
    const [resourceType, publicId] = ref.visibility === 'private' ? ref.storageKey.split('|') : [this.resourceTypeOf(ref.mimeType), ref.storageKey];
    const params: Record<string, string | number> = {
      public_id: publicId,
      timestamp: Math.floor(Date.now() / 1000),
      type: ref.visibility === 'private' ? 'authenticated' : 'upload',
    };
    const form = new FormData();
    for (const [k, v] of Object.entries(params)) form.append(k, String(v));
    form.append('api_key', this.creds.apiKey);
    form.append('signature', signParams(params, this.creds.apiSecret));
    const res = await fetch(`${this.apiBase}/v1_1/${this.creds.cloudName}/${resourceType}/destroy`, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = (await res.json().catch(() => ({}))) as { result?: string };
    if (!res.ok || (body.result !== 'ok' && body.result !== 'not found')) throw new Error(`Cloudinary destroy failed: HTTP ${res.status} ${body.result ?? ''}`);
  }

  private resourceTypeOf(mime: string) {
    return mime.startsWith('video/') ? 'video' : mime === 'application/pdf' ? 'raw' : 'image';
  }
}
