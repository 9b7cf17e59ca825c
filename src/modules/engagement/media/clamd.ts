import { createReadStream } from 'node:fs';
import net from 'node:net';
import { AppError } from '../../../kernel/errors';

export interface ClamdOptions {
  host: string;
  port: number;
  timeoutMs: number;
}

/** What clamd said about a file: clean, or the signature it found. */
export type ScanResult = { clean: true } | { clean: false; signature: string };

/**
 * Scans a file with clamd's INSTREAM command over TCP: `zINSTREAM\0`, then the file as chunks
 * each prefixed with its length (4 bytes, big-endian), then a zero-length chunk; clamd answers
 * `stream: OK` or `stream: <signature> FOUND` (NUL-terminated). The file is read from disk in chunks.
 */
export function scanFile(file: string, opts: ClamdOptions): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: opts.host, port: opts.port });
    let reply = '';
    let settled = false;
    const finish = (err: Error | null, result?: ScanResult) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (err) reject(new AppError('SCANNER_UNAVAILABLE', `The virus scanner could not check the file: ${err.message}`, 503));
      else resolve(result!);
    };
    socket.setTimeout(opts.timeoutMs, () => finish(new Error('timed out')));
    socket.on('error', (err) => finish(err));
    socket.on('data', (d) => (reply += d.toString('latin1')));
    socket.on('end', () => {
      const answer = reply.replace(/\0/g, '').trim();
      const found = /^stream: (.+) FOUND$/.exec(answer);
      if (found) return finish(null, { clean: false, signature: found[1] });
      if (answer === 'stream: OK') return finish(null, { clean: true });
      finish(new Error(`unexpected answer "${answer.slice(0, 100)}"`));
    });
    socket.on('connect', () => {
      socket.write('zINSTREAM\0');
      const input = createReadStream(file, { highWaterMark: 64 * 1024 });
      input.on('data', (chunk) => {
        const size = Buffer.alloc(4);
        size.writeUInt32BE(chunk.length);
        if (!socket.write(Buffer.concat([size, chunk as Buffer]))) {
          input.pause();
          socket.once('drain', () => input.resume());
        }
      });
      input.on('error', (err) => finish(err));
      input.on('end', () => socket.write(Buffer.alloc(4)));
    });
  });
}
