/** What the dev runner's parts (scripts/dev.ts, dev-ev.ts, dev-fleet.ts) share. */
export type Log = (msg: string) => void;
export type Stoppable = { stop(): Promise<void> };
/** A port or count from the environment, else its default. */
export const num = (v: string | undefined, d: number) => (v ? Number(v) : d);
