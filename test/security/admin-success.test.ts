import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type request from 'supertest';
import { useTestStack } from '../support/fixtures';
import { adminToken, sessionToken } from '../support/stack';

type Op = { method: string; path: string; level: string };

/** Every file under test/, read once: where each admin operation's success path is exercised. */
function testSources(dir = join(__dirname, '..')): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((p) => (statSync(p).isDirectory() ? testSources(p) : p.endsWith('.ts') ? readFileSync(p, 'utf8') : ''))
    .join('\n');
}

/** `/admin/refunds/{id}/approve` as a pattern that matches `/admin/refunds/${refund.id}/approve` or `/admin/refunds/abc/approve`. */
const templatePattern = (path: string) =>
  new RegExp(path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '(?:\\$\\{[^}]+\\}|[^/\'"`?\\s]+)') + '(?=[\'"`?/\\s]|$)');

/** Issue 10, ownership section: every admin route answers an admin (and the super admin) on its success path. */
describe('admin routes succeed for their role', () => {
  const fx = useTestStack({ worker: false, bridge: false }, async ({ api, stack }) => {
    const doc = (await api().get('/api/openapi.json')).body as {
      paths: Record<string, Record<string, { responses?: Record<string, { description?: string }> }>>;
    };
    const ops: Op[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => path.startsWith('/admin/') || String(op.responses?.['403']?.description ?? '').startsWith('Not a'))
        .map(([method, op]) => ({ method, path, level: op.responses?.['403']?.description === 'Not a super admin' ? 'super_admin' : 'admin' })),
    );
    return { ops, admin: await adminToken(stack), superAdmin: await sessionToken(stack, 'super_admin') };
  });

  const get = (path: string, token: string) =>
    (fx.api() as unknown as Record<string, (p: string) => request.Test>).get(`/api${path}`).set('Authorization', `Bearer ${token}`);

  it('when an admin reads every admin list (no path parameter), then each answers 200 in the envelope', async () => {
    // The console's live streams (/admin/live/...) stay open for minutes: test/console reads them.
    const lists = fx.ops.filter((op) => op.method === 'get' && !op.path.includes('{') && !op.path.startsWith('/admin/live/'));
    expect(lists.length).toBeGreaterThanOrEqual(15);
    for (const op of lists) {
      const res = await get(op.path, op.level === 'super_admin' ? fx.superAdmin : fx.admin);
      expect([op.path, res.status, res.body.success]).toEqual([op.path, 200, true]);
    }
  });

  it('when the super admin reads admin lists, then the admin role checks let them through too', async () => {
    for (const path of ['/admin/users', '/admin/promotions/coupons', '/admin/attention']) {
      const res = await get(path, fx.superAdmin);
      expect([path, res.status]).toEqual([path, 200]);
    }
  });

  it('when the test sources are searched, then every admin operation that changes something is exercised by a test', () => {
    const sources = testSources();
    const changes = fx.ops.filter((op) => op.method !== 'get');
    expect(changes.length).toBeGreaterThanOrEqual(15);
    const untested = changes.filter((op) => !templatePattern(op.path).test(sources.replace(/\/api(?=\/admin\/)/g, '')));
    expect(untested).toEqual([]);
  });
});
