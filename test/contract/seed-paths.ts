import fs from 'node:fs';
import path from 'node:path';

/** The requirement documents, beside the repository (CI clones main with ../shared next to it). */
export const SEEDS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'seeds');

export interface SeedEndpoint { method: string; path: string; line: number }

const METHODS = /GET|POST|PUT|PATCH|DELETE/g;

/**
 * Method + path pairs a seed names: table rows (`| ... | `/api/x` | GET |`, several methods per
 * cell allowed) and inline mentions (`POST /api/x`). With `sections`, only the parts of the document
 * under a heading matching `include`, until a heading matching `exclude`.
 */
export function seedEndpoints(file: string, sections?: { include: RegExp; exclude: RegExp }): SeedEndpoint[] {
  const text = fs.readFileSync(path.join(SEEDS_DIR, file), 'utf8');
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
      found.set(`${method} ${normalized}`, { method, path: normalized, line: i + 1 });
    };
    for (const m of line.matchAll(/\|\s*`(\/?api\/[^`]+)`\s*\|\s*([A-Za-z/ ,&]+?)\s*\|/g)) {
      for (const method of m[2].toUpperCase().match(METHODS) ?? []) add(method, m[1]);
    }
    for (const m of line.matchAll(/\b(GET|POST|PUT|PATCH|DELETE)\s+`?(\/api\/[^\s`]+)/g)) add(m[1], m[2]);
  });
  return [...found.values()];
}

/** `/api/stations/<SN>/x` and `/stations/{sn}/x` both become `/stations/{}/x`, relative to the mount. */
export function pathShape(p: string, mount = '/api'): string {
  const relative = p.startsWith(`${mount}/`) ? p.slice(mount.length) : p;
  return relative.replace(/<[^>]+>|\{[^}]+\}|:[A-Za-z_]+/g, '{}').replace(/\/$/, '');
}

export function seedFile(prefix: string): string {
  const name = fs.readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`no seed ${prefix}* in ${SEEDS_DIR}`);
  return name;
}
