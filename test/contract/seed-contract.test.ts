import request from 'supertest';
import { useTestStack } from '../support/fixtures';
import { adminToken, customerToken, sessionToken } from '../support/stack';
import { pathShape, seedEndpoints } from './seed-paths';

/**
 * The seeds' API paths are the contract. Every method + path of seed 001's built sections (app,
 * user, station, notification, payment, points & referral, rentals, content, promotions, social, and
 * of the admin endpoints users, stations, system, promotions, analytics, leaderboard & achievements) and of all of seed
 * 003 is served and documented at /api/openapi.json, and answers with something other than the
 * surface's unknown-path 404, without a token and with one (the handlers behind the auth guard run).
 * The endpoints come from test/contract/seed-endpoints.json, generated from the seeds by
 * `npm run seed-endpoints -- ../shared/seeds`, so this needs nothing beside the clone.
 */
describe('seed 001 and 003 paths on the chargeghar surface', () => {
  const fx = useTestStack({ worker: false, bridge: false }, async ({ stack }) => {
    const doc = (await request(stack.baseUrl).get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    return { documented: new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${pathShape(p, '')}`))) };
  });
  const endpoints = seedEndpoints();

  it('when the seed endpoints are read, then they name the endpoints this surface builds (the parser found them)', () => {
    expect(endpoints.length).toBe(115);
    expect(endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(
      expect.arrayContaining([
        'GET /api/app/stations/nearby',
        'POST /api/rentals/{id}/pay-due',
        'GET /api/user/notifications',
        'GET /api/users/kyc/status',
        'POST /api/promotions/apply-coupon',
        'PATCH /api/admin/users/{id}/status',
        'PUT /api/admin/stations/{id}',
        'POST /api/admin/system/broadcast',
        'PUT /api/admin/promotions/coupons/{id}',
        'GET /api/users/leaderboard',
        'GET /api/admin/analytics/revenue',
        'PUT /api/admin/achievements/{id}',
      ]),
    );
  });

  it('when each seed endpoint is looked up in the OpenAPI document, then every one is there', () => {
    const missing = endpoints.filter((e) => !fx.documented.has(`${e.method} ${pathShape(e.path)}`)).map((e) => `${e.seed}:${e.line} ${e.method} ${e.path}`);
    expect(missing).toEqual([]);
  });

  interface Answer {
    status: number;
    code?: string;
    message?: string;
    line: string;
  }

  /** One call of a seed endpoint with an empty body (every id all zeros), with a bearer token or none. */
  const call = async (e: (typeof endpoints)[number], token?: string): Promise<Answer> => {
    const url = e.path.replace(/<[^>]+>|\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
    let req = request(fx.stack.baseUrl)[e.method.toLowerCase() as 'get'](url);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    const res = await req.send({});
    return {
      status: res.status,
      code: res.body?.error?.code,
      message: res.body?.error?.message,
      line: `${e.seed}:${e.line} ${e.method} ${e.path} → ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`,
    };
  };
  /** A 500, or the surface's unknown-path 404. (503 is a real answer here: a webhook for a gateway this stack did not configure.) */
  const notRouted = (a: Answer) => a.status === 500 || (a.status === 404 && /^No route for /.test(a.message ?? ''));
  const isAdminPath = (p: string) => p.startsWith('/api/admin/');

  it('when each seed endpoint is called without a token or body, then it is routed: never the unknown-path 404, never a 500', async () => {
    // The control: what an unrouted path looks like on this surface.
    expect((await request(fx.stack.baseUrl).get('/api/app/not-a-route')).body.error.message).toMatch(/^No route for /);
    const wrong: string[] = [];
    for (const e of endpoints) {
      const a = await call(e);
      if (notRouted(a)) wrong.push(a.line);
    }
    expect(wrong).toEqual([]);
  });

  it("when each seed endpoint is called with a customer's token and no body, then the auth guard lets it through and its handler answers: never the unknown-path 404, never a 500", async () => {
    const wrong: string[] = [];
    for (const e of endpoints) {
      // A session of its own for each call: an endpoint before it (logout, account erasure) may have ended the last one.
      const a = await call(e, await customerToken(fx.stack));
      if (notRouted(a) || a.code === 'UNAUTHORIZED') wrong.push(a.line);
    }
    expect(wrong).toEqual([]);
  });

  it("when each admin seed endpoint (an /admin path, or one a customer is refused) is called with an admin's token (a super admin's where only one may) and no body, then its handler answers: never the unknown-path 404, never a 500", async () => {
    const adminOnly: string[] = [];
    const superAdminOnly: string[] = [];
    const wrong: string[] = [];
    for (const e of endpoints) {
      const refused = (await call(e, await customerToken(fx.stack))).code === 'PERMISSION_DENIED';
      if (!refused && !isAdminPath(e.path)) continue;
      adminOnly.push(`${e.method} ${e.path}`);
      let a = await call(e, await adminToken(fx.stack));
      if (a.code === 'PERMISSION_DENIED') {
        // Only a super admin issues coupons (seed 001): an admin is refused, a super admin is let through.
        superAdminOnly.push(`${e.method} ${e.path}`);
        a = await call(e, await sessionToken(fx.stack, 'super_admin'));
      }
      if (notRouted(a) || a.code === 'UNAUTHORIZED' || a.code === 'PERMISSION_DENIED') wrong.push(a.line);
    }
    expect(superAdminOnly).toEqual(['POST /api/admin/promotions/coupons', 'PUT /api/admin/promotions/coupons/{id}']);
    expect(adminOnly).toEqual(expect.arrayContaining(endpoints.filter((e) => isAdminPath(e.path)).map((e) => `${e.method} ${e.path}`)));
    expect(adminOnly).toEqual(expect.arrayContaining(['GET /api/admin/refunds/pending', 'POST /api/admin/refunds/{id}/approve']));
    expect(wrong).toEqual([]);
  });
});
