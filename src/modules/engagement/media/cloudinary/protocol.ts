import { createHash } from 'node:crypto';

export interface CloudinaryCredentials {
  apiKey: string;
  apiSecret: string;
  cloudName: string;
}

/** `cloudinary://<api_key>:<api_secret>@<cloud_name>`, the format of Cloudinary's CLOUDINARY_URL. */
export function parseCloudinaryUrl(url: string): CloudinaryCredentials {
  const m = /^cloudinary:\/\/([^:]+):([^@]+)@([\w-]+)$/.exec(url);
  if (!m) throw new Error('CLOUDINARY_URL must be cloudinary://<api_key>:<api_secret>@<cloud_name>');
  return { apiKey: decodeURIComponent(m[1]), apiSecret: decodeURIComponent(m[2]), cloudName: m[3] };
}

/** Parameters that Cloudinary leaves out of the signature. */
const UNSIGNED = new Set(['file', 'api_key', 'resource_type', 'cloud_name', 'signature']);

/**
 * Cloudinary's request signature: the signed parameters sorted by name as `k=v` joined by `&`,
 * the API secret appended, SHA-1, hex.
 */
export function signParams(params: Record<string, string | number>, apiSecret: string): string {
  const toSign = Object.keys(params)
    .filter((k) => !UNSIGNED.has(k) && params[k] !== '' && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHash('sha1')
    .update(toSign + apiSecret)
    .digest('hex');
}

/** The fields of Cloudinary's upload response that we use. */
export interface CloudinaryUploadResponse {
  asset_id: string;
  public_id: string;
  version: number;
  resource_type: string;
  format?: string;
  bytes: number;
  type: string;
  url: string;
  secure_url: string;
  created_at: string;
}

/**
 * The signature component of a signed delivery URL (`s--<8 chars>--`): the first 8 characters of the
 * URL-safe base64 SHA-1 of `<transformation/>source` (here just the source, `v123/folder/id.png`) and
 * the API secret. Cloudinary delivers `authenticated` resources only with it.
 */
export function deliverySignature(source: string, apiSecret: string): string {
  return createHash('sha1')
    .update(source + apiSecret)
    .digest('base64url')
    .slice(0, 8);
}
