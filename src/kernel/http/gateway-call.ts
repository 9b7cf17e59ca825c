import { AppError } from '../errors';

/** An outside system's answer: its status and its body as JSON (`{}` when empty, `{raw}` when not JSON). */
export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * One call to an outside system (payment gateway, SMS provider, lender). A network error or timeout
 * throws (an activity retries it); any answer, whatever its status, is returned for the client to
 * read: each gateway decides what its statuses mean.
 */
export async function callGateway(url: string, init: RequestInit & { timeoutMs?: number }): Promise<HttpAnswer> {
  const { timeoutMs, ...rest } = init;
  const res = await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs ?? 10_000) });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { raw: text.slice(0, 200) };
  }
  return { status: res.status, body };
}

/** A gateway's final refusal (4xx): not retried; the caller closes its payment failed (502 to an API client). */
export const gatewayRefused = (gateway: string, answer: HttpAnswer) =>
  new AppError('GATEWAY_REFUSED', `${gateway} refused (${answer.status}): ${JSON.stringify(answer.body).slice(0, 200)}`, 502);

/** 5xx and other unexpected answers: a plain error, retried. */
export const gatewayUnavailable = (gateway: string, answer: HttpAnswer) => new Error(`${gateway} answered ${answer.status}`);
