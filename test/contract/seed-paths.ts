import fs from 'node:fs';
import path from 'node:path';

export interface SeedEndpoint {
  seed: string;
  method: string;
  path: string;
  line: number;
}

/**
 * The method + path pairs the seeds name for this surface, as committed in seed-endpoints.json
 * (written by `npm run seed-endpoints -- <seeds folder>` from the requirement documents, which a
 * clone does not carry): the seed contract test reads only this file.
 */
export function seedEndpoints(): SeedEndpoint[] {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'seed-endpoints.json'), 'utf8')) as { endpoints: SeedEndpoint[] };
  return fixture.endpoints;
}

/** `/api/stations/<SN>/x` and `/stations/{sn}/x` both become `/stations/{}/x`, relative to the mount. */
export function pathShape(p: string, mount = '/api'): string {
  const relative = p.startsWith(`${mount}/`) ? p.slice(mount.length) : p;
  return relative.replace(/<[^>]+>|\{[^}]+\}|:[A-Za-z_]+/g, '{}').replace(/\/$/, '');
}
