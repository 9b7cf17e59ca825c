import express from 'express';

/** A fault the sandbox plays on the merchant API: an error status, a delay (a gateway that hangs), or both. */
export interface SandboxFault {
  /** Requests whose method and path start with this (e.g. `POST /api/v2/epayment/initiate/`, `GET /api/epay`). */
  match: string;
  /** Answer this status (5xx, 429, …) with a plain error body instead of serving the request. */
  status?: number;
  /** Hold the request this long first (longer than the client's timeout = a timeout). */
  delayMs?: number;
  /** How many requests it hits (default: until cleared). */
  times?: number;
}

/**
 * Outages on demand: a rule list checked before the sandbox's own routes, set and cleared through
 * `/__sandbox/faults`. Control routes themselves are never faulted.
 */
export function sandboxFaults(app: express.Express): { set(f: SandboxFault[]): void } {
  let rules: (SandboxFault & { left: number })[] = [];
  app.post('/__sandbox/faults', express.json(), (req, res) => {
    const list = Array.isArray(req.body?.faults) ? (req.body.faults as SandboxFault[]) : [];
    rules = list.map((f) => ({ ...f, left: f.times ?? Number.POSITIVE_INFINITY }));
    res.json({ faults: list });
  });
  app.use(async (req, res, next) => {
    if (req.path.startsWith('/__sandbox')) return next();
    const rule = rules.find((r) => r.left > 0 && `${req.method} ${req.path}`.startsWith(r.match));
    if (!rule) return next();
    rule.left--;
    if (rule.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs).unref());
    if (rule.status) return void res.status(rule.status).json({ detail: 'sandbox fault', status_code: rule.status });
    next();
  });
  return {
    set: (f) => {
      rules = f.map((x) => ({ ...x, left: x.times ?? Number.POSITIVE_INFINITY }));
    },
  };
}
