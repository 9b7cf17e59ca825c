import type { Request, Response } from 'express';
import { logger } from '../../kernel/logger';

export interface ChangeStream {
  /** What the page shows, reduced to a string: a change of it is an event. */
  probe: () => Promise<string>;
  /** How often the probe runs. */
  everyMs: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** The stream ends after this long; the page reconnects, and the auth guard checks its token and session again. */
  maxMs?: number;
}

/** Streams open now, so a stopping API process can end them (the page reconnects to another replica). */
const open = new Set<() => void>();

/** Ends every open stream: the API process calls it before closing its server, which waits for open connections. */
export function endAllStreams(): void {
  for (const end of [...open]) end();
}

/**
 * Server-sent events (text/event-stream) telling a page that what it shows changed: `event: change`
 * when the probe's answer differs from the last one (the first answer is `event: ready`). The page
 * then reads the data through the ordinary API. Resolves when the stream ends (client gone, or maxMs).
 */
export function streamChanges(req: Request, res: Response, s: ChangeStream): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  const write = (text: string) => void (res.writableEnded || res.write(text));
  write(`retry: ${s.everyMs}\n\n`);
  let last: string | undefined;
  let busy = false;
  const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const check = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = await s.probe();
      if (last === undefined) send('ready', { at: new Date().toISOString() });
      else if (now !== last) send('change', { at: new Date().toISOString() });
      last = now;
    } catch (err) {
      logger.warn({ err }, 'live probe failed');
    } finally {
      busy = false;
    }
  };
  return new Promise((resolve) => {
    const timers = [
      setInterval(() => void check(), s.everyMs),
      setInterval(() => write(': ping\n\n'), s.heartbeatMs ?? 15_000),
      setTimeout(() => end(), s.maxMs ?? 5 * 60_000),
    ];
    const end = () => {
      open.delete(end);
      timers.forEach((t) => clearTimeout(t));
      if (!res.writableEnded) res.end();
      resolve();
    };
    open.add(end);
    req.on('close', end);
    void check();
  });
}
