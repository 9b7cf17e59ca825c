import http, { type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { logger } from '../logger';

/** A local sandbox of an outside system (it speaks that system's protocol), listening on a port of its own. */
export interface RunningSandbox {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** An outage: while down, every connection is dropped at once (callers see a network error, as with a host that is away). */
  outage(down: boolean): void;
}

export interface SandboxListenOptions {
  /** Named in the error when the port cannot be had (`MSG91 sandbox`). */
  name?: string;
  host?: string;
  /** 0 or unset: a free port. */
  port?: number;
}

/**
 * Starts `server` listening on host:port and resolves its port. A listen error (the port taken,
 * no permission) rejects with a message that names the sandbox and the port instead of an
 * unhandled 'error' event that ends the process; a later server error is logged.
 */
export async function listenServer(server: NetServer, opts: SandboxListenOptions = {}): Promise<number> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE' ? 'the port is taken (another process, or a copy of this one, listens there): stop it or choose another port' : err.message;
      reject(Object.assign(new Error(`${opts.name ?? 'sandbox'} cannot listen on ${host}:${port}: ${why}`), { code: err.code, cause: err }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => logger.warn({ err, sandbox: opts.name }, 'sandbox server error'));
  return (server.address() as AddressInfo).port;
}

/**
 * Listens on host:port (0 = a free port) with an Express app, a node:http request handler or an
 * http server; stop also drops keep-alive sockets.
 */
export async function listenSandbox(app: RequestListener | Server, opts: SandboxListenOptions = {}): Promise<RunningSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const server = app instanceof http.Server ? app : http.createServer(app);
  const sockets = new Set<Socket>();
  let down = false;
  server.on('connection', (s) => {
    if (down) return void s.destroy();
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const bound = await listenServer(server, opts);
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
