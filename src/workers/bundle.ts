import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './workflows-path';

/**
 * Bundles the workflow code once for production workers. Temporal's bundler refuses Node
 * built-ins (fs, net, crypto, ...) in workflow code, so a workflow that pulls one in fails the build.
 */
export async function buildWorkflowBundle(outFile: string, workflowsPath = require.resolve(WORKFLOWS_PATH)): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
  return outFile;
}
