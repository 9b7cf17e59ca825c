import type { MediaKind } from '../entities/media-upload.entity';

export interface SniffedType {
  mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf' | 'video/mp4';
  ext: 'jpg' | 'png' | 'webp' | 'pdf' | 'mp4';
  kind: MediaKind;
}

export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'video/mp4'] as const;

const ascii = (b: Buffer, start: number, end: number) => b.subarray(start, end).toString('latin1');
const MP4_BRANDS = /^(isom|iso[2-9]|mp4[12]|avc1|M4V |M4VP|dash|mmp4|MSNV)$/;

/**
 * The file's real type from its first bytes (the client's Content-Type is not trusted).
 * Returns null for anything but JPEG, PNG, WebP, PDF and MP4.
 */
export function sniffMediaType(b: Buffer): SniffedType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { mime: 'image/jpeg', ext: 'jpg', kind: 'image' };
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return { mime: 'image/png', ext: 'png', kind: 'image' };
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { mime: 'image/webp', ext: 'webp', kind: 'image' };
  if (b.length >= 5 && ascii(b, 0, 5) === '%PDF-') return { mime: 'application/pdf', ext: 'pdf', kind: 'document' };
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp' && MP4_BRANDS.test(ascii(b, 8, 12))) return { mime: 'video/mp4', ext: 'mp4', kind: 'video' };
  return null;
}

/** Size limit for a kind: videos have their own, images and documents share the image limit. */
export function maxBytesFor(kind: MediaKind, limits: { image: number; video: number }): number {
  return kind === 'video' ? limits.video : limits.image;
}
