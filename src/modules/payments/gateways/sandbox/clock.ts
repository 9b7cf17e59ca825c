/** A sandbox's notion of "now": real time plus an offset a test can move. */
export class SandboxClock {
  private offsetMs = 0;
  constructor(private readonly base: () => number = Date.now) {}
  now(): number {
    return this.base() + this.offsetMs;
  }
  /** Moves the sandbox's time forward (or back, with a negative value). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
