import { createHmac, timingSafeEqual } from 'node:crypto';

/** The path of a private file under its surface: `<surface base>/media/private/<upload id>`. */
export const PRIVATE_MEDIA_PATH = /\/media\/private\/([0-9a-f-]{36})$/;

/**
 * Short-lived signed links to private files (KYC documents): `<url>?expires=<unix s>&signature=<hmac>`.
 * The API hands them only to the file's owner and to admins; the file route checks the HMAC and
 * the expiry. The key is derived from JWT_SECRET, so no new secret is needed.
 */
export class PrivateMediaLinks {
  private readonly key: Buffer;

  constructor(
    config: { JWT_SECRET: string; PRIVATE_MEDIA_URL_TTL_SECONDS: number },
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', config.JWT_SECRET).update('stationflow private media links v1').digest();
    this.ttlSeconds = config.PRIVATE_MEDIA_URL_TTL_SECONDS;
  }

  readonly ttlSeconds: number;

  private mac(id: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${id}.${expires}`).digest('base64url');
  }

  /** A signed link for a private file's stored URL; any other URL is returned as it is. */
  sign(url: string): string;
  sign(url: string | null | undefined): string | null | undefined;
  sign(url: string | null | undefined) {
    const id = url ? PRIVATE_MEDIA_PATH.exec(url)?.[1] : undefined;
    if (!url || !id) return url;
    const expires = Math.floor(this.now() / 1000) + this.ttlSeconds;
    return `${url}?expires=${expires}&signature=${this.mac(id, expires)}`;
  }

  /** True when the link to upload `id` is authentic and not expired. */
  verify(id: string, expires: unknown, signature: unknown): boolean {
    const exp = Number(expires);
    if (!Number.isInteger(exp) || exp < Math.floor(this.now() / 1000) || typeof signature !== 'string') return false;
    const expected = Buffer.from(this.mac(id, exp));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
