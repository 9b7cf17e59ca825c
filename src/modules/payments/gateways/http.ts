import { GatewayError, type GatewayName } from './gateway';

export interface JsonResponse {
  status: number;
  body: unknown;
}

/**
 * One HTTP call from an adapter to its gateway. Network failures and timeouts become retryable
 * GatewayErrors; the caller decides what each status means.
 */
export async function requestJson(
  gateway: GatewayName,
  opts: {
    method: 'GET' | 'POST';
    url: string;
    headers?: Record<string, string>;
    json?: unknown;
    timeoutMs: number;
  },
): Promise<JsonResponse> {
  let res: Response;
  try {
    res = await fetch(opts.url, {
      method: opts.method,
      headers: { Accept: 'application/json', ...(opts.json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...opts.headers },
      body: opts.json !== undefined ? JSON.stringify(opts.json) : undefined,
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    throw new GatewayError(`${gateway}: ${opts.method} ${new URL(opts.url).pathname} failed: ${(err as Error).message}`, gateway, true);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body };
}

/** Turns an unexpected answer into a GatewayError: 5xx/408/429 retryable, other 4xx not. */
export function unexpected(gateway: GatewayName, what: string, res: JsonResponse, code?: string): GatewayError {
  const retryable = res.status >= 500 || res.status === 408 || res.status === 429 || res.status === 0;
  const detail = typeof res.body === 'string' ? res.body.slice(0, 200) : JSON.stringify(res.body)?.slice(0, 300);
  return new GatewayError(`${gateway}: ${what} answered HTTP ${res.status}: ${detail}`, gateway, retryable, res.status, code, res.body);
}

/** Base URL without trailing slashes, so paths can be appended. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}
