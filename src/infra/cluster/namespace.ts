import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { registerSearchAttributes } from '../search-attributes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits for a fresh cluster's frontend, registers the namespace (3 days' retention) when missing and
 * the project's search attributes, and returns once a visibility query by them succeeds.
 */
export async function prepareNamespace(address: string, namespace = 'default', timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`the Temporal cluster at ${address} was not ready in ${timeoutMs / 1000} s: ${(last as Error)?.message}`);
    const connection = await Connection.connect({ address, connectTimeout: 5_000 }).catch((err: unknown) => {
      last = err;
      return undefined;
    });
    if (!connection) {
      await sleep(1_000);
      continue;
    }
    try {
      await connection.workflowService.describeNamespace({ namespace }).catch(async (err: Error) => {
        if (!/not found/i.test(err.message)) throw err;
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(3 * 86_400_000) });
      });
      await registerSearchAttributes(connection, namespace);
      await connection.workflowService.listWorkflowExecutions({ namespace, query: `UserId = 'probe' AND StationSn = 'probe'`, pageSize: 1 });
      return;
    } catch (err) {
      last = err;
      await sleep(1_000);
    } finally {
      await connection.close();
    }
  }
}
