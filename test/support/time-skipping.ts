import { TestWorkflowEnvironment } from '@temporalio/testing';
import { registerSearchAttributes } from '../../src/infra/search-attributes';
import { temporalTestServerPath } from '../../src/infra/temporal-binary';

export type TimeSkippingEnv = TestWorkflowEnvironment;

/**
 * Temporal's time-skipping test server (the binary the project installs), with the project's
 * search attributes registered. `env.sleep(ms)` moves time; `env.client` skips while it waits.
 */
export async function createTimeSkippingEnv(): Promise<TimeSkippingEnv> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  await registerSearchAttributes(env.connection);
  return env;
}
