import type request from 'supertest';
import { useTestStack } from '../support/fixtures';
import { adminToken, customerToken } from '../support/stack';

/** Every admin operation the chargeghar surface documents, read from its own OpenAPI document. */
describe('admin paths and roles', () => {
  const fx = useTestStack({ worker: false, bridge: false }, async ({ api }) => {
    const doc = (await api().get('/api/openapi.json')).body as {
      paths: Record<string, Record<string, { responses?: Record<string, { description?: string }> }>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => path.startsWith('/admin/') || op.responses?.['403']?.description === 'Not an admin')
        .map(([method]) => ({ method, path: `/api${path.replace(/\{[^}]+\}/g, 'X1')}` })),
    );
    return { documented, ops };
  });

  const call = (op: { method: string; path: string }, token?: string) => {
    const req = (fx.api() as unknown as Record<string, (p: string) => request.Test>)[op.method](op.path);
    return token ? req.set('Authorization', `Bearer ${token}`).send({}) : req.send({});
  };

  it('when a customer calls any admin path, then 403 PERMISSION_DENIED; without a token 401 UNAUTHORIZED', async () => {
    expect(fx.ops.length).toBeGreaterThanOrEqual(2);
    expect(fx.ops).toContainEqual({ method: 'post', path: '/api/admin/stations/X1/remote-command' });
    const customer = await customerToken(fx.stack);
    for (const op of fx.ops) {
      const asCustomer = await call(op, customer);
      expect([op, asCustomer.status, asCustomer.body.error?.code]).toEqual([op, 403, 'PERMISSION_DENIED']);
      const anonymous = await call(op);
      expect([op, anonymous.status, anonymous.body.error?.code]).toEqual([op, 401, 'UNAUTHORIZED']);
    }
  });

  it('when the OpenAPI document is read, then every authentication path of seeds 001 and 003 is there', () => {
    const expected = [
      'POST /auth/get-otp',
      'POST /auth/otp/request',
      'POST /auth/verify-otp',
      'POST /auth/otp/verify',
      'POST /auth/register',
      'POST /auth/login',
      'POST /auth/logout',
      'POST /auth/refresh',
      'GET /auth/refresh',
      'POST /auth/device',
      'PUT /auth/device',
      'GET /auth/me',
      'DELETE /auth/account',
    ];
    expect(fx.documented).toEqual(expect.arrayContaining(expected));
  });

  it('when an admin calls an admin path, then the role check passes (the route answers on its own terms)', async () => {
    const admin = await adminToken(fx.stack);
    const res = await call({ method: 'post', path: '/api/admin/stations/NO-SUCH-STATION/maintenance' }, admin);
    expect(res.status).toBe(404);
  });

  it('when an admin logs out, then the admin token no longer opens admin paths', async () => {
    const admin = await adminToken(fx.stack);
    await fx.api().post('/api/auth/logout').set('Authorization', `Bearer ${admin}`);
    const res = await call({ method: 'post', path: '/api/admin/stations/NO-SUCH-STATION/maintenance' }, admin);
    expect(res.status).toBe(401);
  });
});
