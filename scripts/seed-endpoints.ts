import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm run seed-endpoints -- <seeds folder> [out.json]`: the method + path pairs that the seeds
 * (the requirement documents, e.g. ../shared/seeds) name for the chargeghar surface — seed 001's
 * built sections and all of seed 003 — written to test/contract/seed-endpoints.json, the committed
 * input of the seed contract test (so the test needs nothing beside the clone). Run it again and
 * commit the result when the seeds change.
 */

export interface SeedEndpoint {
  seed: string;
  line: number;
  method: string;
  path: string;
}

/** Which parts of which seed this surface builds. */
const SOURCES: { seed: string; sections?: { include: RegExp; exclude: RegExp } }[] = [
  {
    seed: '001',
    sections: {
      include:
        /App Features|User Features|Station Features|Notification Features|Payment Features|Points & Referral|Core Features|Content Management|Promotion Features|User Management|Station Management|System Management|Promotion Management|Social Features|Analytics|Leaderboard & Achievement Management/,
      exclude: /Admin Endpoints|Key Concepts/,
    },
  },
  { seed: '003' },
];

const METHODS = /GET|POST|PUT|PATCH|DELETE/g;

/**
 * Method + path pairs a seed names: table rows (`| ... | `/api/x` | GET |`, several methods per
 * cell allowed) and inline mentions (`POST /api/x`). With `sections`, only the parts of the document
 * under a heading matching `include`, until a heading matching `exclude`.
 */
export function parseSeedEndpoints(text: string, seed: string, sections?: { include: RegExp; exclude: RegExp }): SeedEndpoint[] {
  const found = new Map<string, SeedEndpoint>();
  let inside = !sections;
  text.split('\n').forEach((line, i) => {
    if (sections && line.startsWith('#')) {
      if (sections.exclude.test(line)) inside = false;
      else if (sections.include.test(line)) inside = true;
    }
    if (!inside) return;
    const add = (method: string, p: string) => {
      const normalized = `/${p.replace(/^\//, '')}`;
      found.set(`${method} ${normalized}`, { seed, line: i + 1, method, path: normalized });
    };
    for (const m of line.matchAll(/\|\s*`(\/?api\/[^`]+)`\s*\|\s*([A-Za-z/ ,&]+?)\s*\|/g)) {
      for (const method of m[2].toUpperCase().match(METHODS) ?? []) add(method, m[1]);
    }
    for (const m of line.matchAll(/\b(GET|POST|PUT|PATCH|DELETE)\s+`?(\/api\/[^\s`]+)/g)) add(m[1], m[2]);
  });
  return [...found.values()];
}

export function seedEndpointsFrom(seedsDir: string) {
  const names = fs.readdirSync(seedsDir);
  const seeds: Record<string, { file: string; sha256: string }> = {};
  const endpoints: SeedEndpoint[] = [];
  for (const { seed, sections } of SOURCES) {
    const name = names.find((f) => f.startsWith(seed));
    if (!name) throw new Error(`no seed ${seed}* in ${seedsDir}`);
    const text = fs.readFileSync(path.join(seedsDir, name), 'utf8');
    seeds[seed] = { file: name, sha256: createHash('sha256').update(text).digest('hex') };
    endpoints.push(...parseSeedEndpoints(text, seed, sections));
  }
  return { generatedBy: 'npm run seed-endpoints -- <seeds folder>', seeds, endpoints };
}

if (require.main === module) {
  const [seedsDir, out = path.join(__dirname, '..', 'test', 'contract', 'seed-endpoints.json')] = process.argv.slice(2);
  if (!seedsDir) {
    process.stderr.write('usage: npm run seed-endpoints -- <seeds folder, e.g. ../shared/seeds> [out.json]\n');
    process.exit(2);
  }
  const result = seedEndpointsFrom(path.resolve(seedsDir));
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `${out}: ${result.endpoints.length} endpoints from ${Object.values(result.seeds)
      .map((s) => s.file)
      .join(', ')}\n`,
  );
}
