import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './workflows-path';
import { TRACE_WORKFLOW_INTERCEPTORS } from './worker-tracing';

/**
 * Bundles the workflow code once for production workers. Temporal's bundler refuses Node
 * built-ins (fs, net, crypto, ...) in workflow code, so a workflow that pulls one in fails the
 * build; the error names the module and the file that imported it.
 */
export async function buildWorkflowBundle(outFile: string, workflowsPath = require.resolve(WORKFLOWS_PATH)): Promise<string> {
  const problems: string[] = [];
  const keep = (msg: string) => {
    problems.push(msg);
  };
  const quiet = () => undefined;
  try {
    const { code } = await bundleWorkflowCode({
      workflowsPath,
      // The trace header's carrier is in every bundle (kernel/temporal/trace-headers.ts); it does nothing without a traced start.
      workflowInterceptorModules: [TRACE_WORKFLOW_INTERCEPTORS],
      logger: { error: keep, warn: keep, info: quiet, debug: quiet, trace: quiet, log: quiet } as never,
    });
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, code);
    return outFile;
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${problems.join('\n')}`, { cause: err });
  }
}
