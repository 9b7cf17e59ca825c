import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { temporalCliPath } from '../src/infra/temporal-binary';

export const HISTORIES_DIR = path.join(__dirname, '..', 'test', 'workflows', 'histories');

/**
 * Saves a closed run's history (the Temporal CLI's JSON, which historyFromJSON reads) as
 * test/workflows/histories/<name>.json for the replay tests, and lists it in manifest.json with
 * how it was recorded.
 */
export function recordHistory(opts: { workflowId: string; name: string; address?: string; namespace?: string; recorded?: string }): string {
  const json = execFileSync(
    temporalCliPath(),
    [
      'workflow',
      'show',
      '--workflow-id',
      opts.workflowId,
      '--output',
      'json',
      '--address',
      opts.address ?? process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      '--namespace',
      opts.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default',
    ],
    { encoding: 'utf8' },
  );
  const file = path.join(HISTORIES_DIR, `${opts.name}.json`);
  fs.writeFileSync(file, json);
  const manifestFile = path.join(HISTORIES_DIR, 'manifest.json');
  const manifest = fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, 'utf8')) : {};
  manifest[`${opts.name}.json`] = { workflowId: opts.workflowId, recorded: opts.recorded ?? new Date().toISOString() };
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

/** `npm run record-history -- <workflowId> <name>`, against the Temporal server of TEMPORAL_ADDRESS. */
if (require.main === module) {
  const [workflowId, name] = process.argv.slice(2);
  if (!workflowId || !name) {
    process.stderr.write('usage: npm run record-history -- <workflowId> <name>\n');
    process.exit(2);
  }
  process.stdout.write(`${recordHistory({ workflowId, name })}\n`);
}
