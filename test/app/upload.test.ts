import { startCloudinarySandbox } from '../../src/modules/engagement/media/cloudinary/sandbox';
import { stackIn, useFixture, useTestStack } from '../support/fixtures';
import { startTestStack } from '../support/stack';
import { as, createUser, PNG_1x1, sql } from './helpers';

const LIMIT = 4096;

describe('media upload to local disk', () => {
  const fx = useTestStack(
    {
      worker: false,
      bridge: false,
      env: { UPLOAD_DIR: `${process.env.STATIONFLOW_TEST_DIR}/uploads`, UPLOAD_MAX_IMAGE_BYTES: String(LIMIT), UPLOAD_MAX_VIDEO_BYTES: String(LIMIT * 4) },
    },
    async ({ stack }) => ({ user: await createUser(stack) }),
  );

  it('when a PNG is uploaded, then its URL is recorded and served with the same bytes', async () => {
    const res = await as(fx.stack, fx.user.token).upload(PNG_1x1, 'me.png', 'avatar');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      success: true,
      data: { mime_type: 'image/png', kind: 'image', size_bytes: PNG_1x1.length, purpose: 'avatar', storage: 'local' },
    });
    const url = new URL(res.body.data.url);
    expect(url.pathname).toMatch(/^\/api\/media\/[0-9a-f-]{36}\.png$/);
    const served = await fx.api().get(url.pathname).buffer(true);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(served.body as Buffer, PNG_1x1)).toBe(0);
    const [row] = await sql(fx.stack, 'select user_id, storage from media_uploads where url = ?', [res.body.data.url]);
    expect(row).toEqual({ user_id: fx.user.id, storage: 'local' });
  });

  it('when the bytes are not an accepted type (even named .png), then 400 UNSUPPORTED_FILE_TYPE', async () => {
    const res = await as(fx.stack, fx.user.token).upload(Buffer.from('MZ\x90\x00 this is an executable'), 'cat.png');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, error: { code: 'UNSUPPORTED_FILE_TYPE' } });
  });

  it('when an image is over its limit, then 413 FILE_TOO_LARGE in the envelope and nothing is stored', async () => {
    // Only this user's rows: other test files upload in parallel.
    const count = async () => (await sql<{ n: number }>(fx.stack, 'select count(*)::int as n from media_uploads where user_id = ?', [fx.user.id]))[0].n;
    const before = await count();
    const big = Buffer.concat([PNG_1x1, Buffer.alloc(LIMIT)]);
    const res = await as(fx.stack, fx.user.token).upload(big, 'big.png');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ success: false, error: { code: 'FILE_TOO_LARGE', details: { max_bytes: LIMIT } } });
    const huge = await as(fx.stack, fx.user.token).upload(Buffer.concat([PNG_1x1, Buffer.alloc(LIMIT * 5)]), 'huge.png');
    expect(huge.status).toBe(413);
    expect(await count()).toBe(before);
  });

  it('when an MP4 is uploaded, then it is accepted under the video limit, which is larger', async () => {
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(LIMIT * 2)]);
    const res = await as(fx.stack, fx.user.token).upload(mp4, 'clip.mp4');
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ mime_type: 'video/mp4', kind: 'video' });
  });

  it('when no file, a bad purpose or no token is sent, then 400, 400 and 401', async () => {
    const none = await as(fx.stack, fx.user.token).post('/api/app/upload', { purpose: 'avatar' });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('FILE_REQUIRED');
    const badPurpose = await as(fx.stack, fx.user.token).upload(PNG_1x1, 'x.png', 'selfie');
    expect(badPurpose.status).toBe(400);
    expect(badPurpose.body.error.details[0].field).toBe('body.purpose');
    expect((await as(fx.stack).upload(PNG_1x1)).status).toBe(401);
  });

  it('when an unknown media file is requested, then 404 in the envelope', async () => {
    const res = await fx.api().get('/api/media/00000000-0000-4000-8000-000000000000.png');
    expect(res.status).toBe(404);
    expect(res.body.success).toBe(false);
  });
});

describe('media upload to Cloudinary (local sandbox of the signed upload API)', () => {
  const fx = useFixture(async (s) => {
    const sandbox = await s.use(startCloudinarySandbox(), (c) => c.close());
    const stack = await stackIn(s, { worker: false, bridge: false, env: { CLOUDINARY_URL: sandbox.cloudinaryUrl, CLOUDINARY_API_BASE: sandbox.apiBase } });
    return { sandbox, stack, user: await createUser(stack) };
  });

  it('when a PNG is uploaded, then it is signed, stored on Cloudinary and its secure_url is returned', async () => {
    const res = await as(fx.stack, fx.user.token).upload(PNG_1x1, 'doc.png', 'avatar'); // public; KYC documents are private (test/security/kyc-privacy.test.ts)
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ storage: 'cloudinary', mime_type: 'image/png' });
    expect(res.body.data.url).toMatch(new RegExp(`^${fx.sandbox.apiBase}/sandbox-cloud/image/upload/v\\d+/chargeghar/[0-9a-f-]{36}\\.png$`));
    const served = await fetch(res.body.data.url);
    expect(Buffer.compare(Buffer.from(await served.arrayBuffer()), PNG_1x1)).toBe(0);
  });

  it('when the API secret is wrong, then Cloudinary refuses the signature and the API answers 502 UPLOAD_FAILED', async () => {
    const wrong = fx.sandbox.cloudinaryUrl.replace(/:([^:@]+)@/, ':not-the-secret@');
    const other = await startTestStack({ worker: false, bridge: false, env: { CLOUDINARY_URL: wrong, CLOUDINARY_API_BASE: fx.sandbox.apiBase } });
    try {
      const res = await as(other, fx.user.token).upload(PNG_1x1);
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ success: false, error: { code: 'UPLOAD_FAILED' } });
      expect(res.body.error.message).toContain('Invalid Signature');
    } finally {
      await other.close();
    }
  });
});
