import { useTestStack } from '../support/fixtures';
import { openApiProblems, resolveRef } from '../support/openapi-check';
import { SURFACE_CASES } from './surfaces';

/** Each surface documents itself from its zod schemas at <mount>/openapi.json and serves Swagger UI at <mount>/docs/. */
describe('OpenAPI documents and Swagger UI', () => {
  const docs: Record<string, any> = {};
  const fx = useTestStack({ worker: false, bridge: false }, async ({ api }) => {
    for (const s of SURFACE_CASES) docs[s.name] = (await api().get(`${s.mount}/openapi.json`).expect(200)).body;
    return {};
  });

  /** The documented error envelope of a response, resolved. */
  const errorSchema = (doc: any, op: any, code: number) => resolveRef(doc, op.responses[code].content['application/json'].schema);

  describe.each(SURFACE_CASES)('$name at $mount', (s) => {
    it('when the document is fetched, then it is a sound OpenAPI 3.0 document served for this mount', () => {
      const doc = docs[s.name];
      expect(openApiProblems(doc)).toEqual([]);
      expect(doc.servers).toEqual([{ url: s.mount }]);
    });

    it('when health is documented, then it has the validated timeout_ms query and the 503', () => {
      const doc = docs[s.name];
      const op = doc.paths[s.health.slice(s.mount.length)].get;
      expect(op.parameters).toEqual([
        expect.objectContaining({
          name: 'timeout_ms',
          in: 'query',
          required: false,
          schema: expect.objectContaining({ type: 'integer', minimum: 100, maximum: 5000 }),
        }),
      ]);
      expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '503']);
      // The 400 body is documented in this surface's own error envelope.
      const envelope = errorSchema(doc, op, 400);
      const keys = {
        chargeghar: ['error', 'success'],
        water: ['details', 'error', 'message', 'success'],
        fleet: ['code', 'details', 'error'],
        ev: ['code', 'details', 'error'],
      }[s.name];
      expect(Object.keys(envelope.properties).sort()).toEqual(keys);
    });

    it("when the docs page is opened, then Swagger UI is served with this surface's document", async () => {
      const redirect = await fx.api().get(`${s.mount}/docs`);
      expect(redirect.status).toBe(301);
      expect(redirect.headers.location).toBe(`${s.mount}/docs/`);
      const page = await fx.api().get(`${s.mount}/docs/`);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<div id="swagger-ui">');
      const init = await fx.api().get(`${s.mount}/docs/swagger-ui-init.js`);
      expect(init.status).toBe(200);
      expect(init.text).toContain(`"title": "${docs[s.name].info.title}"`);
      for (const other of SURFACE_CASES.filter((o) => o.name !== s.name)) expect(init.text).not.toContain(`"title": "${docs[other.name].info.title}"`);
    });
  });

  it('when chargeghar is documented, then remote-command has its {sn} parameter, required body schema, auth and device errors', () => {
    const doc = docs.chargeghar;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/app/health', '/admin/stations/{sn}/remote-command', '/admin/stations/{sn}/maintenance']));
    const op = doc.paths['/admin/stations/{sn}/remote-command'].post;
    expect(op.parameters).toEqual([expect.objectContaining({ name: 'sn', in: 'path', required: true })]);
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(op.requestBody.required).toBe(true);
    const body = resolveRef(doc, op.requestBody.content['application/json'].schema);
    const variants = body.oneOf.map((v: any) => resolveRef(doc, v));
    expect(variants.map((v: any) => v.properties.command.enum[0]).sort()).toEqual(['eject', 'lock', 'reboot', 'unlock']);
    const eject = variants.find((v: any) => v.properties.command.enum[0] === 'eject');
    expect(eject.required).toEqual(['command', 'slot']);
    expect(eject.properties.slot).toEqual({ type: 'integer', minimum: 1, maximum: 64 });
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '502', '503', '504']);
    // The success body is documented wrapped in the envelope, as the API sends it.
    const ok = op.responses[200].content['application/json'].schema;
    expect(ok.properties.success).toEqual({ type: 'boolean', enum: [true] });
    expect(ok.properties.data.required).toEqual(['command_id', 'status']);
    expect(errorSchema(doc, op, 504).properties.error.properties.code).toBeDefined();
  });

  it('when maintenance is documented, then its body is optional (an empty body toggles)', () => {
    const op = docs.chargeghar.paths['/admin/stations/{sn}/maintenance'].post;
    expect(op.requestBody.required).toBe(false);
    expect(op.requestBody.content['application/json'].schema.properties.maintenance.type).toBe('boolean');
  });

  it('when the checker sees a broken document, then it reports each problem (the check is not vacuous)', () => {
    const broken = {
      openapi: '3.1.0',
      info: { title: 'x' },
      paths: { '/a/:id': { get: { responses: {} } }, '/b/{id}': { post: { parameters: [], responses: { 200: { $ref: '#/components/responses/Nope' } } } } },
    };
    const problems = openApiProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^openapi: not 3\.0\.x/),
        expect.stringMatching(/^info:/),
        expect.stringMatching(/^\/a\/:id: express-style/),
        expect.stringMatching(/^GET \/a\/:id: no responses/),
        expect.stringMatching(/^POST \/b\/\{id\}: \{id\} is not declared/),
        expect.stringMatching(/dangling \$ref/),
      ]),
    );
  });
});
