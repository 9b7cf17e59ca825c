import type { Server, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket, AddressInfo } from 'node:net';
import type express from 'express';

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Listens on host:port (0 = a free port) and returns the base URL and a stop that also drops keep-alive sockets. */
export async function listen(app: express.Express, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const server: Server<typeof IncomingMessage, typeof ServerResponse> = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
