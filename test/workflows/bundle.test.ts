import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWorkflowBundle } from '../../src/workers/bundle';

describe('the pre-built workflow bundle', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'workflow-bundle.js');

  it('when the real workflows are bundled, then a bundle with every workflow is written', async () => {
    await buildWorkflowBundle(out);
    const code = fs.readFileSync(out, 'utf8');
    expect(code).toContain('stationCommandWorkflow');
  }, 60_000);

  it('when a workflow imports a Node built-in, then the build fails naming it', async () => {
    await expect(buildWorkflowBundle(out, path.join(__dirname, '..', 'fixtures', 'bad-workflows', 'index.ts'))).rejects.toThrow(/disallowed modules[\s\S]*fs/);
  }, 60_000);
});
