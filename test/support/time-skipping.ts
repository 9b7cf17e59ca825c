import { spawn } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection';
import { msToTs } from '@temporalio/common/lib/time';
import { NativeConnection } from '@temporalio/worker';
import { freePort, waitForPort } from '../../src/infra/ports';
import { temporalTestServerPath } from '../../src/infra/temporal-binary';
import { stopChild } from '../../src/infra/temporal-dev-server';

/**
 * Temporal's time-skipping test server (the Java test server binary, from temporalTestServerPath())
 * with a client and a worker connection that speak its TestService: what
 * `TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } })`
 * of @temporalio/testing gives, which this project does not install. Time skipping starts locked
 * (as there); `sleep(ms)` advances server time by `ms` without waiting for it.
 */
export interface TimeSkippingEnv {
  address: string;
  client: Client;
  nativeConnection: NativeConnection;
  sleep(ms: number): Promise<void>;
  currentTimeMs(): Promise<number>;
  teardown(): Promise<void>;
}

export async function createTimeSkippingEnv(): Promise<TimeSkippingEnv> {
  const port = await freePort();
  const child = spawn(temporalTestServerPath(), [String(port)], { stdio: 'ignore' });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`test server exited with ${code}`))));
  exited.catch(() => undefined);
  await Promise.race([waitForPort(port, '127.0.0.1', 30_000), exited]);
  const address = `127.0.0.1:${port}`;
  const internal = { [InternalConnectionOptionsSymbol]: { supportsTestService: true } };
  const connection = await Connection.connect({ address, ...internal });
  const nativeConnection = await NativeConnection.connect({ address, ...internal });
  const testService = connection.testService!;
  return {
    address,
    client: new Client({ connection, namespace: 'default' }),
    nativeConnection,
    sleep: async (ms) => { await testService.unlockTimeSkippingWithSleep({ duration: msToTs(ms) }); },
    currentTimeMs: async () => {
      const { time } = await testService.getCurrentTime({});
      return Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);
    },
    teardown: async () => {
      await connection.close().catch(() => undefined);
      await nativeConnection.close().catch(() => undefined);
      await stopChild(child);
    },
  };
}
