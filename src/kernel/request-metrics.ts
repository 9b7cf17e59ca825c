/**
 * The API's own request numbers over a sliding window (the last few minutes, in memory, per
 * process): how many requests, how many ended in a server error, and latency percentiles. What
 * `GET /admin/system/health` reports; a load balancer's or APM's view is wider.
 */
export class RequestMetrics {
  private readonly samples: { at: number; ms: number; error: boolean }[] = [];

  constructor(
    private readonly windowMs = 5 * 60_000,
    private readonly maxSamples = 100_000,
  ) {}

  record(ms: number, status: number, at = Date.now()): void {
    this.samples.push({ at, ms, error: status >= 500 });
    if (this.samples.length > this.maxSamples) this.samples.splice(0, this.samples.length - this.maxSamples);
  }

  private prune(now: number) {
    const from = now - this.windowMs;
    let i = 0;
    while (i < this.samples.length && this.samples[i].at < from) i++;
    if (i) this.samples.splice(0, i);
  }

  snapshot(now = Date.now()) {
    this.prune(now);
    const ms = this.samples.map((s) => s.ms).sort((a, b) => a - b);
    const pct = (p: number) => (ms.length ? ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] : null);
    const errors = this.samples.filter((s) => s.error).length;
    return {
      window_seconds: Math.round(this.windowMs / 1000),
      requests: ms.length,
      server_errors: errors,
      error_rate: ms.length ? Number((errors / ms.length).toFixed(4)) : 0,
      p50_ms: pct(50),
      p99_ms: pct(99),
    };
  }
}
