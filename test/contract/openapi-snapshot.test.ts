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
});
