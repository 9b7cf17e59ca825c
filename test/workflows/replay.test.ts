import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';

/**
 * Every committed history must replay on today's workflow code without a non-determinism error.
 * A change to a deployed workflow that breaks one needs `patched()`. New histories are recorded
 * with `npm run record-history -- <workflowId> <name>` against a running dev stack.
 */
const DIR = path.join(__dirname, 'histories');
/** Histories carry no workflow id; the workflows use theirs (command ids), so the manifest keeps it. */
const manifest: Record<string, { workflowId: string }> = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8'));
const files = Object.keys(manifest);

describe('replay of committed workflow histories', () => {
  it('when the folder is read, then there is at least one history to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('when %s is replayed on the current code, then it is deterministic', async (file) => {
    const history = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! } }, history, manifest[file].workflowId)).resolves.toBeUndefined();
  });
});
