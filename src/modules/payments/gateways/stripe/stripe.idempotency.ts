import type express from 'express';
import { randomId } from '../sandbox/ids';

interface Saved {
  signature: string;
  status: number;
  body: unknown;
  requestId: string;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Stripe's Idempotency-Key on POST /v1/*: the first result (status and body, errors included once
 * the endpoint ran) is replayed for the same key; the same key with other parameters or another
 * endpoint is a 400 idempotency_error; a concurrent request with an in-flight key is a 409.
 */
export function idempotency(): express.RequestHandler {
  const saved = new Map<string, Saved>();
  const inFlight = new Set<string>();
  return (req, res, next) => {
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || !key) return next();
    if (key.length > 255)
      return void res.status(400).json({ error: { type: 'invalid_request_error', message: 'Idempotency-Key must be at most 255 characters long.' } });
    const signature = `${req.method} ${req.path} ${canonical(req.body ?? {})}`;
    const prior = saved.get(key);
    if (prior) {
      if (prior.signature !== signature) {
        return void res.status(400).json({
          error: {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          },
        });
      }
      res.setHeader('Idempotent-Replayed', 'true');
      res.setHeader('Original-Request', prior.requestId);
      return void res.status(prior.status).json(prior.body);
    }
    if (inFlight.has(key)) {
      return void res.status(409).json({
        error: {
          type: 'idempotency_error',
          message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        },
      });
    }
    inFlight.add(key);
    const requestId = String(res.getHeader('Request-Id') ?? `req_${randomId(14)}`);
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      inFlight.delete(key);
      // Stripe keeps results once the endpoint started executing: successes, card errors, 5xx.
      // Parameter validation failures (400) and auth failures are not saved.
      if (res.statusCode < 400 || res.statusCode === 402 || res.statusCode >= 500) saved.set(key, { signature, status: res.statusCode, body, requestId });
      return json(body);
    };
    res.on('close', () => inFlight.delete(key));
    next();
  };
}
