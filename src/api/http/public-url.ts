import type { Request } from 'express';

/**
 * The origin links the API hands out and stores are built on: PUBLIC_BASE_URL, or (development,
 * tests) the address and port the server's socket listens on. Never the request's Host or
 * X-Forwarded-* headers, which the client controls (a poisoned Host would end up in stored URLs
 * and gateway return links). Production requires PUBLIC_BASE_URL (src/config/security.ts).
 */
export function publicOrigin(req: Request, publicBase?: string): string {
  if (publicBase) return publicBase;
  const address = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
}

/** Absolute URL of the surface the request came in on, e.g. https://api.example.com/api. */
export function surfaceBaseUrl(req: Request, publicBase?: string): string {
  return `${publicOrigin(req, publicBase)}${req.baseUrl}`;
}
