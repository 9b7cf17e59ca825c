import fs from 'node:fs';
import path from 'node:path';
import { useTestStack } from '../support/fixtures';
import { SURFACE_CASES } from '../foundation/surfaces';

/**
 * The OpenAPI document each surface serves is the API's contract: a change to a path, a schema or
 * an envelope shows here as a diff of the committed document. After an intended change, rewrite
 * the documents with `UPDATE_OPENAPI_SNAPSHOTS=1 npx jest test/contract/openapi-snapshot` and
 * commit them with the change.
 */
describe('served OpenAPI documents', () => {
  const fx = useTestStack({ worker: false, bridge: false });
  const update = process.env.UPDATE_OPENAPI_SNAPSHOTS === '1';

  it.each(SURFACE_CASES)('when $mount/openapi.json is fetched, then it is byte-for-byte the committed document', async (s) => {
    const res = await fx.api().get(`${s.mount}/openapi.json`).expect(200);
    const file = path.join(__dirname, 'openapi', `${s.name}.json`);
    const served = `${JSON.stringify(res.body, null, 2)}\n`;
    if (update) fs.writeFileSync(file, served);
    expect(served).toBe(fs.readFileSync(file, 'utf8'));
  });

  it('when an answer may be null, then the document says nullable beside the reference (a null matches no `allOf: [{$ref}, {nullable}]`)', async () => {
    const doc = (await fx.api().get('/api/openapi.json').expect(200)).body;
    const active = doc.paths['/rentals/active'].get.responses['200'].content['application/json'].schema.properties.data;
    expect(active).toEqual({ allOf: [{ $ref: '#/components/schemas/Rental' }], nullable: true });
    expect(doc.components.schemas.KycStatus.properties.submission).toMatchObject({ nullable: true, allOf: [{ $ref: '#/components/schemas/KycSubmission' }] });
    const marker = (s: unknown) => JSON.stringify(s) === '{"nullable":true}';
    const nullableAllOf = (node: unknown): number => {
      if (!node || typeof node !== 'object') return 0;
      const all = (node as { allOf?: unknown }).allOf;
      const here = Array.isArray(all) && all.some(marker) ? 1 : 0;
      return here + Object.values(node).reduce((n: number, v) => n + nullableAllOf(v), 0);
    };
    for (const s of SURFACE_CASES) expect(nullableAllOf((await fx.api().get(`${s.mount}/openapi.json`).expect(200)).body)).toBe(0);
  });
});
