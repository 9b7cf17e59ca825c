import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../../../kernel/errors';
import type { MediaKind } from '../entities/media-upload.entity';
import { ACCEPTED_TYPES, maxBytesFor, sniffMediaType, type SniffedType } from '../rules/media-types';

/** An upload received on disk (never whole in memory), its real type read from its first bytes. */
export interface IncomingFile {
  path: string;
  size: number;
  type: SniffedType;
}

/** Bytes enough to tell every accepted type apart (MP4's brand ends at byte 12). */
const SNIFF_BYTES = 12;

export const unsupportedFileType = () =>
  new AppError('UNSUPPORTED_FILE_TYPE', `Only ${ACCEPTED_TYPES.join(', ')} files are accepted`, 400, { accepted: ACCEPTED_TYPES });

export function fileTooLarge(kind: MediaKind | 'file', limit: number) {
  return new AppError('FILE_TOO_LARGE', `The ${kind} is larger than ${Math.floor(limit / 1024)} KB`, 413, { max_bytes: limit });
}

/**
 * Streams an upload into `dir` (mode 0600) while counting it: the type is read from the first
 * bytes, and the stream is cut as soon as it passes that type's limit (an "image" stops at the image
 * limit, not the video one). On refusal the partial file is removed and the rest of the stream
 * drained. Memory use is a few chunks whatever the file's size.
 */
export function receiveUpload(stream: Readable, dir: string, limits: { image: number; video: number }): Promise<IncomingFile> {
  return new Promise((resolve, reject) => {
    const target = path.join(dir, `${randomUUID()}.part`);
    let head: Buffer[] = [];
    let headBytes = 0;
    let out: fs.WriteStream | undefined;
    let type: SniffedType | null = null;
    let size = 0;
    let done = false;
    const fail = (err: unknown) => {
      if (done) return;
      done = true;
      stream.removeAllListeners('data');
      stream.resume();
      out?.destroy();
      void fs.promises.rm(target, { force: true }).finally(() => reject(err));
    };
    const open = () => {
      const first = Buffer.concat(head);
      type = sniffMediaType(first);
      if (!type) return false;
      out = fs.createWriteStream(target, { flags: 'wx', mode: 0o600 });
      out.on('error', fail);
      out.write(first);
      head = [];
      return true;
    };
    stream.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (!out) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes < SNIFF_BYTES) return;
        if (!open()) return fail(unsupportedFileType());
      } else if (!out.write(chunk)) {
        stream.pause();
        out.once('drain', () => stream.resume());
      }
      const limit = maxBytesFor(type!.kind, limits);
      if (size > limit) fail(fileTooLarge(type!.kind, limit));
    });
    stream.on('error', fail);
    stream.on('end', () => {
      if (done) return;
      if (!out && !open()) return fail(unsupportedFileType());
      out!.end(() => {
        if (done) return;
        done = true;
        resolve({ path: target, size, type: type! });
      });
    });
  });
}
