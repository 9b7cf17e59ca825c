import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { EICAR, PrivateMediaLinks, startClamdSandbox, startCloudinarySandbox } from '../../src/modules/engagement';
import { as, createUser, PNG_1x1, sql, uploadPng, type TestUser } from '../app/helpers';
import { stackIn, useFixture, useTestStack } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';

/** Issue 10 item 6: KYC documents are private, served through short-lived signed links, scanned, and erased with the account. */
async function submitKyc(stack: TestStack, user: TestUser) {
  const front = await uploadPng(stack, user.token, 'kyc_document');
  const back = await uploadPng(stack, user.token, 'kyc_document');
  const number = `${10 + (Date.now() % 80)}-01-7${Date.now() % 10}-${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const sub = await as(stack, user.token).post('/api/users/kyc', { citizenship_number: number, document_front_url: front, document_back_url: back });
  if (sub.status !== 201) throw new Error(`kyc: ${sub.status} ${JSON.stringify(sub.body)}`);
  return { front, back, sub: sub.body.data as { id: string; document_front_url: string; document_back_url: string } };
}

/** GET an absolute URL of the stack (path and query only). */
const fetchLink = (stack: TestStack, url: string) => {
  const u = new URL(url);
  return request(stack.baseUrl)
    .get(u.pathname + u.search)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
};

describe('KYC documents on local disk', () => {
  const uploadDir = `${process.env.STATIONFLOW_TEST_DIR}/uploads-kyc-private`;
  const fx = useTestStack({ worker: false, bridge: false, env: { UPLOAD_DIR: uploadDir, PRIVATE_MEDIA_URL_TTL_SECONDS: '60' } }, async ({ stack }) => ({
    admin: await createUser(stack, { role: 'admin' }),
  }));

  it('when a KYC document is uploaded, then it is stored 0600 in the private folder and neither its URL nor /media serves it', async () => {
    const user = await createUser(fx.stack);
    const url = await uploadPng(fx.stack, user.token, 'kyc_document');
    expect(url).toMatch(/\/api\/media\/private\/[0-9a-f-]{36}$/);
    const [row] = await sql<{ storage_key: string; visibility: string }>(fx.stack, 'select storage_key, visibility from media_uploads where url = ?', [url]);
    expect(row.visibility).toBe('private');
    const file = path.join(uploadDir, '.private', row.storage_key);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await fetchLink(fx.stack, url)).status).toBe(404);
    expect((await fx.api().get(`/api/media/${row.storage_key}`)).status).toBe(404);
    expect((await fx.api().get(`/api/media/.private/${row.storage_key}`)).status).toBe(404);
  });

  it('when the owner or an admin reads the submission, then the documents are signed links that serve the bytes with no-store', async () => {
    const user = await createUser(fx.stack);
    const { front, sub } = await submitKyc(fx.stack, user);
    const status = await as(fx.stack, user.token).get('/api/users/kyc/status');
    const ownerLink = status.body.data.submission.document_front_url as string;
    expect(ownerLink).toMatch(new RegExp(`^${front.replace(/[.?]/g, '\\$&')}\\?expires=\\d+&signature=[\\w-]+$`));
    expect(sub.document_front_url).toMatch(/\?expires=\d+&signature=/);
    const served = await fetchLink(fx.stack, ownerLink);
    expect(served.status).toBe(200);
    expect(served.headers['cache-control']).toBe('no-store');
    expect(served.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(served.body as Buffer, PNG_1x1)).toBe(0);
    const adminView = await as(fx.stack, fx.admin.token).get(`/api/admin/kyc/${sub.id}`);
    expect((await fetchLink(fx.stack, adminView.body.data.document_back_url)).status).toBe(200);
    // Another customer sees only their own (empty) status, never these links.
    const other = await createUser(fx.stack);
    expect((await as(fx.stack, other.token).get('/api/users/kyc/status')).body.data).toMatchObject({ status: 'not_submitted', submission: null });
    expect((await as(fx.stack, other.token).get(`/api/admin/kyc/${sub.id}`)).status).toBe(403);
  });

  it('when a signed link is expired or tampered with, then 404', async () => {
    const user = await createUser(fx.stack);
    const { front } = await submitKyc(fx.stack, user);
    const past = new PrivateMediaLinks(fx.stack.config, () => Date.now() - 61_000);
    expect((await fetchLink(fx.stack, past.sign(front))).status).toBe(404);
    const good = new PrivateMediaLinks(fx.stack.config).sign(front);
    expect((await fetchLink(fx.stack, good)).status).toBe(200);
    // One character of the signature changed (to another one: a signature starting with `A` stays valid under `A`).
    const tampered = good.replace(/signature=(.)/, (_m, c: string) => `signature=${c === 'A' ? 'B' : 'A'}`);
    expect(tampered).not.toBe(good);
    expect((await fetchLink(fx.stack, tampered)).status).toBe(404);
    expect(
      (
        await fetchLink(
          fx.stack,
          good.replace(/expires=(\d+)/, (_m, e) => `expires=${Number(e) + 3600}`),
        )
      ).status,
    ).toBe(404);
  });

  it('when a KYC submission names a public upload, then 409 UPLOAD_UNSUITABLE naming the field', async () => {
    const user = await createUser(fx.stack);
    const publicFile = await uploadPng(fx.stack, user.token, 'other');
    const back = await uploadPng(fx.stack, user.token, 'kyc_document');
    const res = await as(fx.stack, user.token).post('/api/users/kyc', {
      citizenship_number: '27-01-71-05846',
      document_front_url: publicFile,
      document_back_url: back,
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'UPLOAD_UNSUITABLE', details: [expect.objectContaining({ field: 'body.document_front_url' })] });
  });

  it('when the account is erased, then its KYC files are deleted from disk and the signed links are 404', async () => {
    const user = await createUser(fx.stack);
    const { front, back } = await submitKyc(fx.stack, user);
    const keys = await sql<{ storage_key: string }>(fx.stack, 'select storage_key from media_uploads where url in (?, ?)', [front, back]);
    const files = keys.map((k) => path.join(uploadDir, '.private', k.storage_key));
    for (const f of files) expect(fs.existsSync(f)).toBe(true);
    const links = new PrivateMediaLinks(fx.stack.config);
    expect((await as(fx.stack, user.token).delete('/api/auth/account')).status).toBe(200);
    for (const f of files) expect(fs.existsSync(f)).toBe(false);
    expect(await sql(fx.stack, 'select 1 from media_uploads where url in (?, ?)', [front, back])).toHaveLength(0);
    expect((await fetchLink(fx.stack, links.sign(front))).status).toBe(404);
  });
});

describe('upload scanning (clamd INSTREAM)', () => {
  const fx = useFixture(async (s) => {
    const clamd = await s.use(startClamdSandbox(), (c) => c.close());
    const env = { UPLOAD_DIR: `${process.env.STATIONFLOW_TEST_DIR}/uploads-scanned`, CLAMD_HOST: clamd.host, CLAMD_PORT: String(clamd.port) };
    const stack = await stackIn(s, { worker: false, bridge: false, env });
    return { clamd, stack, user: await createUser(stack) };
  });

  it('when a file holds the EICAR test string, then 422 UPLOAD_REJECTED and nothing is stored; a clean file is scanned and stored', async () => {
    const before = fx.clamd.scanned();
    const infected = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(EICAR), Buffer.from('\n%%EOF\n')]);
    const res = await as(fx.stack, fx.user.token).upload(infected, 'scan.pdf', 'kyc_document');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ success: false, error: { code: 'UPLOAD_REJECTED', details: { signature: 'Eicar-Test-Signature' } } });
    expect(await sql(fx.stack, 'select 1 from media_uploads where user_id = ?', [fx.user.id])).toHaveLength(0);
    expect(fs.readdirSync(path.join(fx.stack.config.UPLOAD_DIR, '.incoming'))).toEqual([]);
    expect((await as(fx.stack, fx.user.token).upload(PNG_1x1, 'ok.png', 'kyc_document')).status).toBe(201);
    expect(fx.clamd.scanned()).toBe(before + 2);
  });

  it('when the scanner cannot be reached, then 503 SCANNER_UNAVAILABLE and nothing is stored', async () => {
    const down = await startTestStack({ worker: false, bridge: false, env: { CLAMD_HOST: '127.0.0.1', CLAMD_PORT: '1' } });
    try {
      const res = await as(down, fx.user.token).upload(PNG_1x1, 'ok.png', 'avatar');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ success: false, error: { code: 'SCANNER_UNAVAILABLE' } });
      expect(await sql(fx.stack, `select 1 from media_uploads where user_id = ? and purpose = 'avatar'`, [fx.user.id])).toHaveLength(0);
    } finally {
      await down.close();
    }
  });
});

describe('KYC documents on Cloudinary (authenticated delivery)', () => {
  const fx = useFixture(async (s) => {
    const cloud = await s.use(startCloudinarySandbox(), (c) => c.close());
    const stack = await stackIn(s, { worker: false, bridge: false, env: { CLOUDINARY_URL: cloud.cloudinaryUrl, CLOUDINARY_API_BASE: cloud.apiBase } });
    return { cloud, stack };
  });

  it('when a KYC document is uploaded, then Cloudinary holds it as authenticated, unreachable unsigned, served by our signed link, destroyed on erasure', async () => {
    const user = await createUser(fx.stack);
    const { front } = await submitKyc(fx.stack, user);
    const [row] = await sql<{ storage_key: string }>(fx.stack, 'select storage_key from media_uploads where url = ?', [front]);
    const secureUrl = row.storage_key.split('|')[2];
    expect(secureUrl).toMatch(/\/image\/authenticated\/v\d+\//);
    expect([...fx.cloud.uploads.values()].filter((f) => f.deliveryType === 'authenticated')).not.toHaveLength(0);
    expect((await fetch(secureUrl)).status).toBe(404);
    const status = await as(fx.stack, user.token).get('/api/users/kyc/status');
    const served = await fetchLink(fx.stack, status.body.data.submission.document_front_url);
    expect(served.status).toBe(200);
    expect(Buffer.compare(served.body as Buffer, PNG_1x1)).toBe(0);
    const stored = () => [...fx.cloud.uploads.keys()].filter((k) => k.includes(row.storage_key.split('|')[1]));
    expect(stored()).toHaveLength(1);
    expect((await as(fx.stack, user.token).delete('/api/auth/account')).status).toBe(200);
    expect(stored()).toHaveLength(0);
  });
});
