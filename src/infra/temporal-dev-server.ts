import { spawn, type ChildProcess } from 'node:child_process';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../kernel/temporal/search-attributes';
import { freePorts, waitForPort } from './ports';
import { temporalCliPath } from './temporal-binary';

export interface TemporalDevServerHandle {
  address: string;
  uiPort?: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `temporal server start-dev` with the project's search attributes registered.
 * `dbFile` keeps state in SQLite across restarts; without it the server runs in memory.
 */
export async function startTemporalDevServer(
  opts: { port?: number; uiPort?: number; ui?: boolean; dbFile?: string; log?: (line: string) => void } = {},
): Promise<TemporalDevServerHandle> {
  const [freeApi, freeUi] = await freePorts(2); // distinct, so the UI never lands on the frontend's port
  const port = opts.port ?? freeApi;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', 'default', '--log-level', 'error'];
  let uiPort: number | undefined;
  if (opts.ui === false) args.push('--headless');
  else {
    uiPort = opts.uiPort ?? freeUi;
    args.push('--ui-port', String(uiPort));
  }
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  for (const sa of CUSTOM_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa.name}=Keyword`);
  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => opts.log?.(String(d)));
  child.stderr?.on('data', (d) => opts.log?.(String(d)));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`temporal exited with ${code}`))));
  await Promise.race([waitForPort(port, '127.0.0.1', 60_000), exited]);
  exited.catch(() => undefined);
  return {
    address: `127.0.0.1:${port}`,
    uiPort,
    process: child,
    stop: () => stopChild(child),
  };
}

export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
