import { as, createUser, sql, uploadPng } from './helpers';
import { useTestStack } from '../support/fixtures';
import { createTestStation } from '../support/stack';

describe('erasing an account erases its profile, KYC and engagement data', () => {
  const fx = useTestStack({ bridge: false });

  it('when a user with a profile, KYC, a favorite and notifications deletes the account, then those rows are gone and reports stay unattributed', async () => {
    const user = await createUser(fx.stack);
    const api = as(fx.stack, user.token);
    expect(
      (
        await api.put('/api/user/profile', {
          full_name: 'Sita Sharma',
          date_of_birth: '1995-04-01',
          gender: 'female',
          address: { line: 'Thamel', city: 'Kathmandu', district: 'Kathmandu', province: 'Bagmati' },
        })
      ).status,
    ).toBe(200);
    const front = await uploadPng(fx.stack, user.token, 'kyc_document');
    const back = await uploadPng(fx.stack, user.token, 'kyc_document');
    expect(
      (await api.post('/api/users/kyc', { citizenship_number: '12-01-75-01234', document_front_url: front, document_back_url: back })).status,
    ).toBeLessThan(300);
    const sn = await createTestStation(fx.stack.orm, { online: true });
    expect((await api.post(`/api/stations/${sn}/favorite`)).status).toBeLessThan(300);
    expect((await api.post(`/api/stations/${sn}/report-issue`, { type: 'dirty', description: 'sticky screen' })).status).toBeLessThan(300);
    await sql(fx.stack, `insert into notifications (id, user_id, type, title, body) values (gen_random_uuid(), ?, 'system', 'hi', 'there')`, [user.id]);

    const res = await api.delete('/api/auth/account');
    expect(res.status).toBe(200);
    for (const table of ['user_profiles', 'kyc_submissions', 'station_favorites', 'notifications']) {
      expect(await sql(fx.stack, `select 1 from ${table} where user_id = ?`, [user.id])).toHaveLength(0);
    }
    expect(await sql(fx.stack, 'select 1 from media_uploads where user_id = ?', [user.id])).toHaveLength(0);
    const reports = await sql(fx.stack, `select r.user_id from station_issue_reports r join stations s on s.id = r.station_id where s.sn = ?`, [sn]);
    expect(reports).toEqual([{ user_id: null }]);
  });
});
