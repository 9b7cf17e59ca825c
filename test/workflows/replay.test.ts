import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';

/**
 * Every committed history must replay on today's workflow code without a non-determinism error.
 * A change to a deployed workflow that breaks one needs `patched()`. New histories are recorded
 * with `npm run record-history -- <workflowId> <name>` against a running dev stack.
 *
 * Every *.json file of the folder is replayed, whether or not manifest.json lists it. The manifest
 * documents each history (how it was recorded) and gives the workflow id of those whose started
 * event lacks one (the time-skipping server records none); the workflows build command ids from
 * it, so replaying with another id is not the same run.
 */
const DIR = path.join(__dirname, 'histories');
const MANIFEST = 'manifest.json';
const manifest: Record<string, { workflowId: string }> = JSON.parse(fs.readFileSync(path.join(DIR, MANIFEST), 'utf8'));
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && f !== MANIFEST)
  .sort();

/** Recorded before the module layout (commit 798a28b: src/modules/<module>, src/workers/workflows.ts), on the old workflow files. */
const BEFORE_MODULE_LAYOUT = [
  'payment-intent-khalti-paid-by-callback.json',
  'payment-intent-stripe-paid-by-webhook.json',
  'refund-approved-rental-charge.json',
  'refund-decided-by-update-first-wins.json',
  'rental-eject-timeout-bay-released.json',
  'rental-eject-timeout-bay-unconfirmed.json',
  'rental-eject-timeout-refunded.json',
  'rental-post-payment-cancel-lapsed-due.json',
  'rental-pre-payment-extended-overdue-returned.json',
  'station-command-eject-acked.json',
];

const readHistory = (file: string) => JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));

/** The run's workflow id: from its started event where the server recorded it, else from the manifest; both must agree. */
function workflowIdOf(file: string, history: { events?: { workflowExecutionStartedEventAttributes?: { workflowId?: string } }[] }): string {
  const recorded = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId;
  const listed = manifest[file]?.workflowId;
  if (recorded && listed && recorded !== listed) throw new Error(`${file}: manifest.json says ${listed}, the history says ${recorded}`);
  const id = recorded ?? listed;
  if (!id) throw new Error(`${file}: its started event has no workflow id and manifest.json has no entry for it: add { "workflowId": ... } there`);
  return id;
}

const title = (file: string) => (BEFORE_MODULE_LAYOUT.includes(file) ? `${file}, recorded before the module layout,` : file);

describe('replay of committed workflow histories', () => {
  it('when the folder is read, then there is at least one history to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('when the manifest is read, then every entry names a history file in the folder', () => {
    expect(Object.keys(manifest).filter((f) => !files.includes(f))).toEqual([]);
  });

  it('when the histories recorded before the module layout are looked for, then every one is still in the folder (each replays on the new bundle in its own test below)', () => {
    expect(BEFORE_MODULE_LAYOUT.filter((f) => !files.includes(f))).toEqual([]);
  });

  it.each(files.map((f) => [title(f), f]))('when %s is replayed on the new bundle (module layout), then it is deterministic', async (_title, file) => {
    const history = readHistory(file);
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! } }, history, workflowIdOf(file, history)),
    ).resolves.toBeUndefined();
  });
});
