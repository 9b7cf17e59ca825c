import type request from 'supertest';
import { useTestStack } from '../support/fixtures';
import { customerToken } from '../support/stack';

const SAMPLE: Record<string, string> = { id: '00000000-0000-4000-8000-000000000000', platform: 'android', page: 'about', sn: 'NOPE' };

/** Every admin operation of the chargeghar surface, read from its own OpenAPI document. */
describe('admin paths refuse customers and anonymous callers', () => {
  const fx = useTestStack({ worker: false, bridge: false }, async ({ api }) => {
    const doc = (await api().get('/api/openapi.json')).body as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { description?: string }> }>>;
    };
    // auth: 'admin' routes: bearer security and the "Not an admin" 403 that route() documents for them.
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.security?.length && ['Not an admin', 'Not a super admin'].includes(op.responses['403']?.description ?? ''))
        .map(([method]) => ({ method, path: `/api${path.replace(/\{(\w+)\}/g, (_, p: string) => SAMPLE[p] ?? 'x')}` })),
    );
    return { ops };
  });

  it('when the OpenAPI document is read, then it lists the admin paths of this module', () => {
    const paths = fx.ops.map((o) => `${o.method} ${o.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'get /api/users',
        'get /api/admin/kyc',
        `post /api/admin/kyc/${SAMPLE.id}/approve`,
        `post /api/admin/kyc/${SAMPLE.id}/reject`,
        'put /api/admin/content/about',
        'post /api/admin/content/faq',
        'put /api/admin/app/version/android',
        'post /api/admin/banners',
        'get /api/admin/station-issues',
        `patch /api/admin/station-issues/${SAMPLE.id}`,
      ]),
    );
  });

  it('when a customer calls any admin path, then 403 PERMISSION_DENIED; without a token, 401 UNAUTHORIZED', async () => {
    const customer = await customerToken(fx.stack.config);
    for (const { method, path } of fx.ops) {
      const call = () => (fx.api() as unknown as Record<string, (p: string) => request.Test>)[method](path);
      const asCustomer = await call().set('Authorization', `Bearer ${customer}`).send({});
      expect({ path, method, status: asCustomer.status, code: asCustomer.body.error?.code }).toEqual({ path, method, status: 403, code: 'PERMISSION_DENIED' });
      const anonymous = await call().send({});
      expect({ path, method, status: anonymous.status, code: anonymous.body.error?.code }).toEqual({ path, method, status: 401, code: 'UNAUTHORIZED' });
    }
  });
});
