import { isKycApproved } from '../../src/modules/identity/services/kyc-read';
import { useTestStack } from '../support/fixtures';
import { eventually } from '../support/stack';
import { as, createUser, sql, uploadPng } from './helpers';

describe('KYC: submit, review, notify', () => {
  const fx = useTestStack({ bridge: false }, async ({ stack }) => ({ admin: await createUser(stack, { role: 'admin' }) }));

  async function userWithDocs() {
    const user = await createUser(fx.stack);
    const front = await uploadPng(fx.stack, user.token, 'kyc_document');
    const back = await uploadPng(fx.stack, user.token, 'kyc_document');
    return { user, front, back };
  }

  it('when a user submits, an admin approves, then the status is approved, the user is notified in-app and the push is logged', async () => {
    const { user, front, back } = await userWithDocs();
    const sub = await as(fx.stack, user.token).post('/api/auth/kyc', {
      citizenship_number: ' २७-०१-७१-०५८४६ ',
      document_front_url: front,
      document_back_url: back,
      full_name: 'Sita Sharma',
    });
    expect(sub.status).toBe(201);
    // Documents come back as short-lived signed links to the private file (issue 10 item 6).
    expect(sub.body.data).toMatchObject({ status: 'pending', citizenship_number: '27-01-71-05846', document_front_url: expect.stringMatching(/\?expires=/) });
    expect(sub.body.data.document_front_url.startsWith(`${front}?`)).toBe(true);
    expect((await as(fx.stack, user.token).get('/api/users/kyc/status')).body.data.status).toBe('pending');

    const queue = await as(fx.stack, fx.admin.token).get('/api/admin/kyc?status=pending&page_size=100&search=27-01-71-05846');
    expect(queue.body.data.results.map((k: { id: string }) => k.id)).toContain(sub.body.data.id);
    expect(queue.body.data.results[0].user).toMatchObject({ id: user.id, phone: user.phone });

    const approved = await as(fx.stack, fx.admin.token).post(`/api/admin/kyc/${sub.body.data.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.data.status).toBe('approved');
    for (const path of ['/api/auth/kyc-status', '/api/users/kyc/status']) {
      const status = await as(fx.stack, user.token).get(path);
      expect(status.body.data).toMatchObject({ status: 'approved', rejection_reason: null, submission: { id: sub.body.data.id } });
    }
    expect(await isKycApproved(fx.stack.orm, user.id)).toBe(true);

    const [note] = await sql(fx.stack, `select id, type, in_app, push, data from notifications where user_id = ? and type = 'kyc_approved'`, [user.id]);
    expect(note).toMatchObject({ in_app: true, push: true, data: { kyc_id: sub.body.data.id, status: 'approved' } });
    const inbox = await as(fx.stack, user.token).get('/api/user/notifications?type=kyc_approved');
    expect(inbox.body.data.results).toHaveLength(1);
    // No Firebase credentials in this stack: the notify workflow records the push instead of sending it.
    const log = await eventually(async () => {
      const [row] = await sql<{ status: string; attempts: number }>(fx.stack, `select status, attempts from fcm_logs where notification_id = ?`, [note.id]);
      return row?.status === 'recorded' ? row : undefined;
    });
    expect(log.attempts).toBe(1);

    const again = await as(fx.stack, fx.admin.token).post(`/api/admin/kyc/${sub.body.data.id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('KYC_NOT_PENDING');
    expect(
      (await as(fx.stack, user.token).post('/api/users/kyc', { citizenship_number: '12345', document_front_url: front, document_back_url: back })).body.error
        .code,
    ).toBe('KYC_ALREADY_APPROVED');
  });

  it('when an admin rejects with a reason, then the user sees it, is notified and can resubmit with PATCH', async () => {
    const { user, front, back } = await userWithDocs();
    const sub = await as(fx.stack, user.token).post('/api/users/kyc', {
      citizenship_number: '123-456-7890',
      document_front_url: front,
      document_back_url: back,
    });
    expect(sub.status).toBe(201);
    const dup = await as(fx.stack, user.token).post('/api/users/kyc', {
      citizenship_number: '123-456-7890',
      document_front_url: front,
      document_back_url: back,
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('KYC_ALREADY_PENDING');
    const fixed = await as(fx.stack, user.token).patch('/api/auth/kyc', { issued_district: 'Kaski' });
    expect(fixed.body.data).toMatchObject({ id: sub.body.data.id, issued_district: 'Kaski', status: 'pending' });

    expect((await as(fx.stack, fx.admin.token).post(`/api/admin/kyc/${sub.body.data.id}/reject`, {})).status).toBe(400);
    const rejected = await as(fx.stack, fx.admin.token).post(`/api/admin/kyc/${sub.body.data.id}/reject`, { reason: 'The back side photo is blurred' });
    expect(rejected.body.data).toMatchObject({ status: 'rejected', rejection_reason: 'The back side photo is blurred' });
    const status = await as(fx.stack, user.token).get('/api/auth/kyc-status');
    expect(status.body.data).toMatchObject({ status: 'rejected', rejection_reason: 'The back side photo is blurred' });
    const [note] = await sql(fx.stack, `select body from notifications where user_id = ? and type = 'kyc_rejected'`, [user.id]);
    expect(String(note.body)).toContain('blurred');

    const newBack = await uploadPng(fx.stack, user.token, 'kyc_document');
    const resubmitted = await as(fx.stack, user.token).patch('/api/users/kyc', { document_back_url: newBack });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body.data).toMatchObject({
      status: 'pending',
      citizenship_number: '123-456-7890',
      document_front_url: expect.stringMatching(/\?expires=/),
      document_back_url: expect.stringMatching(/\?expires=/),
      issued_district: 'Kaski',
    });
    expect(resubmitted.body.data.document_front_url.startsWith(`${front}?`)).toBe(true);
    expect(resubmitted.body.data.document_back_url.startsWith(`${newBack}?`)).toBe(true);
    expect(resubmitted.body.data.id).not.toBe(sub.body.data.id);
    expect(await isKycApproved(fx.stack.orm, user.id)).toBe(false);
  });

  it('when the number is malformed or a document is not our upload of this user, then 400 (malformed number) or 404 (not our upload of this user) naming the field', async () => {
    const { user, front, back } = await userWithDocs();
    const other = await userWithDocs();
    const badNumber = await as(fx.stack, user.token).post('/api/auth/kyc', {
      citizenship_number: 'ABC-12',
      document_front_url: front,
      document_back_url: back,
    });
    expect(badNumber.status).toBe(400);
    expect(badNumber.body.error.details[0].field).toBe('body.citizenship_number');
    const foreign = await as(fx.stack, user.token).post('/api/auth/kyc', {
      citizenship_number: '27-01-71-05847',
      document_front_url: 'https://evil.example/x.png',
      document_back_url: other.back,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('UPLOAD_NOT_FOUND');
    expect(foreign.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.document_front_url', 'body.document_back_url']);
    const none = await as(fx.stack, user.token).patch('/api/auth/kyc', { issued_district: 'Kaski' });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('KYC_NOT_FOUND');
  });

  it('when a second user submits a citizenship number already verified for someone else, then it is accepted like any other and approving it is refused', async () => {
    const a = await userWithDocs();
    const b = await userWithDocs();
    const subA = await as(fx.stack, a.user.token).post('/api/auth/kyc', {
      citizenship_number: '55-02-70-11111',
      document_front_url: a.front,
      document_back_url: a.back,
    });
    await as(fx.stack, fx.admin.token).post(`/api/admin/kyc/${subA.body.data.id}/approve`).expect(200);
    const subB = await as(fx.stack, b.user.token).post('/api/auth/kyc', {
      citizenship_number: '55-02-70-11111',
      document_front_url: b.front,
      document_back_url: b.back,
    });
    // The answer does not confirm that the number belongs to another customer (issue 10 item 11)...
    expect(subB.status).toBe(201);
    expect(subB.body.data.status).toBe('pending');
    // ...and the admin cannot approve it.
    const approve = await as(fx.stack, fx.admin.token).post(`/api/admin/kyc/${subB.body.data.id}/approve`);
    expect(approve.status).toBe(409);
    expect(approve.body.error.code).toBe('CITIZENSHIP_NUMBER_IN_USE');
  });
});
