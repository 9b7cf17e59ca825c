import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import request from 'supertest';
import { as, createUser, PNG_1x1 } from '../app/helpers';
import { clientIp } from '../support/messaging';
import { useTestStack } from '../support/fixtures';
import { AuthTokenService } from '../../src/modules/identity/services/auth-token.service';

/** Issue 10 item 10: rate limits per client IP and per user, counted in PostgreSQL across API instances. */
const RATE_LIMITS = [
  'login.ip=3/600',
  'register.ip=3/600',
  'refresh.user=3/600',
  'upload.user=2/600',
  'topup.user=2/600',
  'refund.user=2/600',
  'referral.ip=3/600',
  'webhook.ip=3/600',
].join(',');

const expectLimited = (res: request.Response) => {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ success: false, error: { code: 'RATE_LIMIT_EXCEEDED' } });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
};

describe('rate limits', () => {
  const fx = useTestStack({ worker: false, bridge: false, env: { RATE_LIMITS, UPLOAD_DIR: `${process.env.STATIONFLOW_TEST_DIR}/uploads-limits` } });
  // A second API instance on the same database: the counters are shared.
  const other = useTestStack({ worker: false, bridge: false, env: { RATE_LIMITS } });
  const from = (ip: string, api = fx.api()) => ({
    post: (p: string, body: object = {}) => api.post(p).set('X-Forwarded-For', ip).send(body),
    get: (p: string) => api.get(p).set('X-Forwarded-For', ip),
  });

  it('when one IP logs in more than the limit across two API instances, then it gets 429 in the envelope and another IP does not', async () => {
    const ip = clientIp();
    const body = { verification_token: 'not-a-real-verification-token' };
    expect((await from(ip).post('/api/auth/login', body)).status).toBe(401);
    expect((await from(ip, other.api()).post('/api/auth/login', body)).status).toBe(401);
    expect((await from(ip).post('/api/auth/login', body)).status).toBe(401);
    expectLimited(await from(ip, other.api()).post('/api/auth/login', body));
    expect((await from(clientIp()).post('/api/auth/login', body)).status).toBe(401);
  });

  it('when one IP registers more than the limit, then 429', async () => {
    const ip = clientIp();
    const body = { verification_token: 'not-a-real-verification-token', username: 'someone_new' };
    for (let i = 0; i < 3; i++) expect((await from(ip).post('/api/auth/register', body)).status).toBe(401);
    expectLimited(await from(ip).post('/api/auth/register', body));
  });

  it('when one user refreshes more than the limit from several IPs, then 429 for that user only', async () => {
    const tokens = new AuthTokenService({ orm: fx.stack.orm, config: fx.stack.config });
    const a = await createUser(fx.stack);
    const b = await createUser(fx.stack);
    let pair = await tokens.startSession({ id: a.id, role: 'customer' }, {});
    for (let i = 0; i < 3; i++) {
      const res = await from(clientIp()).post('/api/auth/refresh', { refresh_token: pair.refresh_token });
      expect(res.status).toBe(200);
      pair = res.body.data;
    }
    expectLimited(await from(clientIp()).post('/api/auth/refresh', { refresh_token: pair.refresh_token }));
    // The GET form counts against the same allowance.
    expectLimited(await from(clientIp()).get('/api/auth/refresh').send({ refresh_token: pair.refresh_token }));
    const pairB = await tokens.startSession({ id: b.id, role: 'customer' }, {});
    expect((await from(clientIp()).post('/api/auth/refresh', { refresh_token: pairB.refresh_token })).status).toBe(200);
  });

  it('when one user uploads more than the limit, then 429 before the body is read, and another user may still upload', async () => {
    const a = await createUser(fx.stack);
    const b = await createUser(fx.stack);
    for (let i = 0; i < 2; i++) expect((await as(fx.stack, a.token).upload(PNG_1x1).set('X-Forwarded-For', clientIp())).status).toBe(201);
    expectLimited(await as(fx.stack, a.token).upload(PNG_1x1).set('X-Forwarded-For', clientIp()));
    expect((await as(fx.stack, b.token).upload(PNG_1x1)).status).toBe(201);
  });

  it('when one user asks for top-up intents or refunds beyond the limit, then 429 (each try counts, valid or not)', async () => {
    const user = await createUser(fx.stack);
    for (let i = 0; i < 2; i++) expect((await as(fx.stack, user.token).post('/api/payment/wallet/topup-intent', { amount: -1 })).status).toBe(400);
    expectLimited(await as(fx.stack, user.token).post('/api/payment/wallet/topup-intent', { amount: -1 }));
    const refund = (id: string) => as(fx.stack, user.token).post(`/api/payment/refund/${id}`, {});
    for (let i = 0; i < 2; i++) expect((await refund('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expectLimited(await refund('00000000-0000-4000-8000-000000000000'));
  });

  it('when one IP validates referral codes or posts webhooks beyond the limit, then 429', async () => {
    const ip = clientIp();
    for (let i = 0; i < 3; i++) expect((await from(ip).get('/api/referral/validate?code=NOPE0000')).status).not.toBe(429);
    expectLimited(await from(ip).get('/api/referral/validate?code=NOPE0000'));
    const hook = clientIp();
    for (let i = 0; i < 3; i++) expect((await from(hook).post('/api/payment/webhook/stripe', { type: 'forged' })).status).not.toBe(429);
    expectLimited(await from(hook).post('/api/payment/webhook/stripe', { type: 'forged' }));
  });

  describe('with TRUST_PROXY=false', () => {
    const direct = useTestStack({ worker: false, bridge: false, env: { RATE_LIMITS: 'referral.ip=2/600', TRUST_PROXY: 'false' } });

    it('when clients claim different X-Forwarded-For addresses, then they are still counted as the one socket address', async () => {
      // Another file may count 127.0.0.1 too: only the refusal after our own hits is certain.
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await from(clientIp(), direct.api()).get('/api/referral/validate?code=NOPE0000')).status);
      expect(statuses[2]).toBe(429);
    });
  });
});

describe('uploads stream to disk', () => {
  const MB = 1024 * 1024;
  const fx = useTestStack({
    worker: false,
    bridge: false,
    env: { UPLOAD_DIR: `${process.env.STATIONFLOW_TEST_DIR}/uploads-stream`, UPLOAD_MAX_IMAGE_BYTES: String(MB), UPLOAD_MAX_VIDEO_BYTES: String(50 * MB) },
  });

  /** A file on disk (so the client streams it too) starting with `head`, `size` bytes long. */
  const bigFile = (name: string, head: Buffer, size: number) => {
    const file = path.join(process.env.STATIONFLOW_TEST_DIR!, name);
    fs.writeFileSync(file, Buffer.concat([head, Buffer.alloc(size - head.length, 7)]));
    return file;
  };
  /**
   * Peak growth of the process's Buffer memory while `run` goes. It includes chunks already
   * garbage but not yet collected, so it over-counts; a file held whole (multer's memory storage
   * keeps every chunk and then their concatenation) would push it past the file's size.
   */
  const peakBufferGrowth = async (run: () => Promise<unknown>) => {
    const base = process.memoryUsage().arrayBuffers;
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
    try {
      await run();
    } finally {
      clearInterval(timer);
    }
    return peak - base;
  };

  it('when a 40 MB video is uploaded, then it is stored whole while the API Buffer memory grows by less than the file', async () => {
    const user = await createUser(fx.stack);
    const file = bigFile('big.mp4', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom')]), 40 * MB);
    // The client is another process (curl), so only the API's own memory is measured.
    let out = '';
    const growth = await peakBufferGrowth(async () => {
      const args = ['-s', '-w', '\n%{http_code}', '-H', `Authorization: Bearer ${user.token}`, '-F', `file=@${file}`, `${fx.stack.baseUrl}/api/app/upload`];
      out = (await promisify(execFile)('curl', args)).stdout;
    });
    const [body, status] = out.split('\n');
    expect(status).toBe('201');
    const data = JSON.parse(body).data;
    expect(data).toMatchObject({ kind: 'video', size_bytes: 40 * MB });
    const stored = path.join(fx.stack.config.UPLOAD_DIR, new URL(data.url).pathname.split('/').pop()!);
    expect(fs.statSync(stored).size).toBe(40 * MB);
    process.stdout.write(`peak Buffer memory growth during a 40 MB upload: ${(growth / MB).toFixed(1)} MB\n`);
    expect(growth).toBeLessThan(40 * MB);
  });

  it('when a 20 MB file claims to be an image, then it is cut at the image limit (413) and nothing is left on disk', async () => {
    const user = await createUser(fx.stack);
    const file = bigFile('big.png', PNG_1x1, 20 * MB);
    const res = await request(fx.stack.baseUrl).post('/api/app/upload').set('Authorization', `Bearer ${user.token}`).attach('file', file);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ success: false, error: { code: 'FILE_TOO_LARGE', details: { max_bytes: MB } } });
    const incoming = path.join(fx.stack.config.UPLOAD_DIR, '.incoming');
    expect(fs.readdirSync(incoming)).toEqual([]);
  });

  it('when the incoming folder is asked for over /media, then 404', async () => {
    const res = await fx.api().get('/api/media/.incoming/');
    expect(res.status).toBe(404);
  });
});
