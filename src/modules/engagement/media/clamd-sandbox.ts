import net from 'node:net';
import { listenServer } from '../../../kernel/http/sandbox-server';

/** The EICAR anti-virus test string: every scanner reports it, and it harms nothing. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

export interface ClamdSandbox {
  host: string;
  port: number;
  /** How many streams it has scanned. */
  scanned(): number;
  close(): Promise<void>;
}

/**
 * A tiny local clamd: speaks the INSTREAM protocol over TCP (`zINSTREAM\0` or `nINSTREAM\n`,
 * length-prefixed chunks, a zero-length end) and answers `stream: Eicar-Test-Signature FOUND` when the
 * stream holds the EICAR string anywhere, `stream: OK` otherwise. For tests and `npm run dev`.
 */
export async function startClamdSandbox(opts: { port?: number } = {}): Promise<ClamdSandbox> {
  let count = 0;
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    let commandDone = false;
    const body: Buffer[] = [];
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!commandDone) {
        const end = buf.findIndex((b) => b === 0 || b === 0x0a);
        if (end < 0) return;
        const command = buf.subarray(0, end).toString('latin1');
        buf = buf.subarray(end + 1);
        if (!/^[zn]INSTREAM$/.test(command)) return void socket.end('UNKNOWN COMMAND\0');
        commandDone = true;
      }
      while (buf.length >= 4) {
        const size = buf.readUInt32BE(0);
        if (size === 0) {
          count++;
          const found = Buffer.concat(body).includes(EICAR);
          return void socket.end(found ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
        }
        if (buf.length < 4 + size) return;
        body.push(buf.subarray(4, 4 + size));
        buf = buf.subarray(4 + size);
      }
    });
    socket.on('error', () => undefined);
  });
  const port = await listenServer(server, { name: 'clamd sandbox', port: opts.port });
  return {
    host: '127.0.0.1',
    port,
    scanned: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
