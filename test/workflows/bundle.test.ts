import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { buildWorkflowBundle } from '../../src/workers/bundle';
import * as registered from '../../src/workers/workflows';

/** Names of the functions a module exports: the workflow types a worker registers from it. */
const functionNames = (mod: object) =>
  Object.entries(mod)
    .filter(([, v]) => typeof v === 'function')
    .map(([k]) => k)
    .sort();

/**
 * The workflows a bundle serves, as a worker loads them: the bundle evaluated in a context of its
 * own (as Temporal's workflow VM does), then its importWorkflows() hook.
 */
function workflowsInBundle(code: string): string[] {
  const context = vm.createContext({ __webpack_module_cache__: {}, TextEncoder, TextDecoder, URL, URLSearchParams, AbortController });
  vm.runInContext(code, context, { filename: 'workflow-bundle.js' });
  const temporal = (context as { __TEMPORAL__?: { importWorkflows(): object } }).__TEMPORAL__;
  if (!temporal) throw new Error('the bundle registered no __TEMPORAL__ hooks');
  return functionNames(temporal.importWorkflows());
}

describe('the pre-built workflow bundle', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'workflow-bundle.js');

  it('when the real workflows are bundled, then a bundle with every workflow is written', async () => {
    await buildWorkflowBundle(out);
    const code = fs.readFileSync(out, 'utf8');
    expect(code).toContain('stationCommandWorkflow');
    // Every workflow src/workers/workflows.ts exports (what the worker registers) is served by the bundle, and nothing else.
    const expected = functionNames(registered);
    expect(expected).toEqual(expect.arrayContaining(['stationCommandWorkflow', 'rentalWorkflow', 'paymentIntentWorkflow']));
    expect(workflowsInBundle(code)).toEqual(expected);
  }, 60_000);

  it('when a workflow imports a Node built-in, then the build fails naming it', async () => {
    await expect(buildWorkflowBundle(out, path.join(__dirname, '..', 'fixtures', 'bad-workflows', 'index.ts'))).rejects.toThrow(/disallowed modules[\s\S]*fs/);
  }, 60_000);
});
