import type { WorkflowHandle } from '@temporalio/client';
import { recordHistory } from '../../scripts/record-history';
import type { TestStack } from './stack';

/**
 * With RECORD_HISTORIES=1, a test that ends a run worth replaying saves its history under
 * test/workflows/histories (`RECORD_HISTORIES=1 npx jest <file>`, then commit what changed);
 * otherwise nothing. `recorded` says what the run did, for manifest.json.
 */
export async function keepHistory(stack: TestStack, handle: WorkflowHandle, name: string, recorded: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  await handle.result().catch(() => undefined); // closed first
  const date = new Date().toISOString().slice(0, 10);
  recordHistory({
    workflowId: handle.workflowId,
    name,
    address: stack.config.TEMPORAL_ADDRESS,
    namespace: stack.config.TEMPORAL_NAMESPACE,
    recorded: `${date} from the test stack: ${recorded}`,
  });
}
