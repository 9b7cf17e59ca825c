import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type express from 'express';

/** A local sandbox of an outside system (it speaks that system's protocol), listening on a port of its own. */
export interface RunningSandbox {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** An outage: while down, every connection is dropped at once (callers see a network error, as with a host that is away). */
  outage(down: boolean): void;
}

/** Listens on host:port (0 = a free port); stop also drops keep-alive sockets. */
export async function listenSandbox(app: express.Express, opts: { host?: string; port?: number } = {}): Promise<RunningSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const sockets = new Set<Socket>();
  let down = false;
  server.on('connection', (s) => {
    if (down) return void s.destroy();
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    outage: (d) => {
      down = d;
      if (d) for (const s of sockets) s.destroy();
    },
  };
}
