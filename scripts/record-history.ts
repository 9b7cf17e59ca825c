import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { temporalCliPath } from '../src/infra/temporal-binary';

/**
 * `npm run record-history -- <workflowId> <name>`: saves a closed run's history (the Temporal
 * CLI's JSON, which historyFromJSON reads) for the replay tests.
 */
const [workflowId, name] = process.argv.slice(2);
if (!workflowId || !name) {
  process.stderr.write('usage: npm run record-history -- <workflowId> <name>\n');
  process.exit(2);
}
const json = execFileSync(
  temporalCliPath(),
  [
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '--output',
    'json',
    '--address',
    process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    '--namespace',
    process.env.TEMPORAL_NAMESPACE ?? 'default',
  ],
  { encoding: 'utf8' },
);
const file = path.join(__dirname, '..', 'test', 'workflows', 'histories', `${name}.json`);
fs.writeFileSync(file, json);
const manifestFile = path.join(path.dirname(file), 'manifest.json');
const manifest = fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, 'utf8')) : {};
manifest[`${name}.json`] = { workflowId, recorded: new Date().toISOString() };
fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(`${file}\n`);
