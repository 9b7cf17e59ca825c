import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import type { Payload, PayloadCodec } from '@temporalio/common';

/**
 * The codec endpoint the Temporal UI and CLI call to show decoded payloads (Temporal's codec-server
 * protocol): `POST <mount>/encode` and `POST <mount>/decode` with `{payloads:[{metadata:{k:base64},
 * data:base64}]}`, answered in the same shape. Only operators holding CODEC_SERVER_TOKEN get an
 * answer (`Authorization: Bearer <token>`; the CLI's --codec-auth); CORS admits the Temporal UI's
 * origin only. Errors in the /api style: `{success:false, error:{code,message}}`.
 */

const Body = z.object({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string(), z.string().max(1 << 16)).optional(),
        data: z.string().optional(),
      }),
    )
    .max(1000),
});

const fromJson = (p: z.infer<typeof Body>['payloads'][number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

const fail = (res: express.Response, status: number, code: string, message: string) => res.status(status).json({ success: false, error: { code, message } });
const digest = (s: string) => createHash('sha256').update(s).digest();

export function codecServer(codec: PayloadCodec, opts: { token: string; uiOrigin: string }): express.Router {
  const router = express.Router();
  router.use((req, res, next) => {
    if (req.header('origin') === opts.uiOrigin) {
      res.setHeader('Access-Control-Allow-Origin', opts.uiOrigin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    }
    res.setHeader('Vary', 'Origin');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method === 'OPTIONS') return void res.status(204).end();
    const presented = /^Bearer (.+)$/.exec(req.header('authorization') ?? '')?.[1];
    if (!presented || !timingSafeEqual(digest(presented), digest(opts.token))) return void fail(res, 401, 'UNAUTHORIZED', 'Operator token required');
    next();
  });
  router.use(express.json({ limit: '4mb' }));
  for (const op of ['encode', 'decode'] as const) {
    router.post(`/${op}`, async (req, res) => {
      const body = Body.safeParse(req.body);
      if (!body.success) return void fail(res, 400, 'VALIDATION_ERROR', 'Expected {payloads:[{metadata, data}]} with base64 values');
      try {
        const out = await codec[op](body.data.payloads.map(fromJson));
        res.json({ payloads: out.map(toJson) });
      } catch (err) {
        fail(res, 400, 'UNDECODABLE', (err as Error).message);
      }
    });
  }
  router.use((err: { type?: string; status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    fail(res, err.status && err.status < 500 ? err.status : 400, 'INVALID_JSON', 'The body is not valid JSON');
  });
  return router;
}
