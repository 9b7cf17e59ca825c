import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type express from 'express';
import { AppError } from '../../../kernel/errors';

export interface RunningSandbox {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** An outage: while down, every connection is dropped at once (callers see a network error, as with a host that is away). */
  outage(down: boolean): void;
}

/** Listens on host:port (0 = a free port); stop also drops keep-alive sockets. */
export async function listenSandbox(app: express.Express, host = '127.0.0.1', port = 0): Promise<RunningSandbox> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
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

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One call to an outside system; a network error or timeout throws (retried by the activity), any answer is returned. */
export async function callGateway(url: string, init: RequestInit & { timeoutMs?: number }): Promise<HttpAnswer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 10_000) });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { raw: text.slice(0, 200) };
  }
  return { status: res.status, body };
}

/** A gateway's final refusal (4xx): not retried; the workflow closes the payment failed. */
export const gatewayRefused = (gateway: string, answer: HttpAnswer) =>
  new AppError('GATEWAY_REFUSED', `${gateway} refused: ${JSON.stringify(answer.body).slice(0, 200)}`, 502);

/** 5xx and other unexpected answers: a plain error, retried. */
export const gatewayUnavailable = (gateway: string, answer: HttpAnswer) => new Error(`${gateway} answered ${answer.status}`);
