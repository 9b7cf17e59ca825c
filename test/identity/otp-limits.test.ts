import { useMessagingStack } from '../support/fixtures';
import { clientIp, randomEmail, randomPhone, readOtp } from '../support/messaging';
import { eventually } from '../support/stack';

describe('OTP limits: tries, resend cooldown, per-IP limit', () => {
  const fx = useMessagingStack({ env: { OTP_IP_LIMIT: '5' }, bridge: false });

  const requestOtp = (identifier: string, ip = clientIp(), path = '/api/auth/get-otp') => fx.api().post(path).set('X-Forwarded-For', ip).send({ identifier });
  const verify = (body: object, ip = clientIp()) => fx.api().post('/api/auth/otp/verify').set('X-Forwarded-For', ip).send(body);
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const challenge = async (id: string) => (await fx.stack.orm.em.getConnection().execute('select status, attempts from otp_challenges where id = ?', [id]))[0];

  it('when the SMS reaches the phone before the gateway has answered us, then the code typed at once is still accepted', async () => {
    const phone = randomPhone();
    fx.boxes.sms.setResponseDelay(1500);
    try {
      const sent = await requestOtp(phone);
      const code = await readOtp(fx.boxes, phone); // in the inbox while our send activity still waits
      const res = await verify({ challenge_id: sent.body.data.challenge_id, code });
      expect(res.status).toBe(200);
      expect(res.body.data.verification_token).toEqual(expect.any(String));
    } finally {
      fx.boxes.sms.setResponseDelay(0);
    }
  });

  it('when a wrong code is entered 5 times, then each says how many tries are left and the 5th locks the code, even for the right one', async () => {
    const phone = randomPhone();
    const sent = await requestOtp(phone);
    const code = await readOtp(fx.boxes, phone);
    const challenge_id = sent.body.data.challenge_id;
    for (let left = 4; left >= 1; left--) {
      const res = await verify({ challenge_id, code: wrong(code) });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ success: false, error: { code: 'OTP_INVALID', details: { attempts_remaining: left } } });
    }
    const fifth = await verify({ challenge_id, code: wrong(code) });
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('OTP_ATTEMPTS_EXCEEDED');
    const right = await verify({ challenge_id, code });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('OTP_ATTEMPTS_EXCEEDED');
    expect(await challenge(challenge_id)).toEqual({ status: 'locked', attempts: 5 });
  });

  it('when the same identifier asks again within 60 s, then 429 RATE_LIMIT_EXCEEDED with Retry-After on both paths', async () => {
    const email = randomEmail();
    expect((await requestOtp(email)).status).toBe(200);
    for (const path of ['/api/auth/get-otp', '/api/auth/otp/request']) {
      const again = await requestOtp(email.toUpperCase(), clientIp(), path);
      expect(again.status).toBe(429);
      expect(again.body).toMatchObject({ success: false, error: { code: 'RATE_LIMIT_EXCEEDED' } });
      const retryAfter = Number(again.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(again.body.error.details.retry_after_seconds).toBe(retryAfter);
    }
    await readOtp(fx.boxes, email);
    expect(fx.boxes.smtp.messages(email)).toHaveLength(1);
  });

  it('when the cooldown has passed, then a new code is sent and the previous one is superseded', async () => {
    const phone = randomPhone();
    const first = await requestOtp(phone);
    const oldCode = await readOtp(fx.boxes, phone, 1);
    // 61 seconds pass for this identifier.
    await fx.stack.orm.em.getConnection().execute(`update otp_request_gates set requested_at = now() - interval '61 seconds' where identifier = ?`, [phone]);
    const second = await requestOtp(phone);
    expect(second.status).toBe(200);
    const newCode = await readOtp(fx.boxes, phone, 2);
    const stale = await verify({ challenge_id: first.body.data.challenge_id, code: oldCode });
    expect(stale.status).toBe(410);
    expect(stale.body.error.code).toBe('OTP_SUPERSEDED');
    // By identifier instead of challenge id: the latest challenge is checked.
    const fresh = await verify({ identifier: phone, code: newCode });
    expect(fresh.status).toBe(200);
    expect(fresh.body.data.verification_token).toEqual(expect.any(String));
  });

  it('when several requests for one identifier race, then exactly one is accepted', async () => {
    const phone = randomPhone();
    const results = await Promise.all(Array.from({ length: 6 }, () => requestOtp(phone)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 429, 429, 429, 429, 429]);
    const [{ n }] = await fx.stack.orm.em.getConnection().execute(`select count(*)::int as n from otp_challenges where identifier = ?`, [phone]);
    expect(n).toBe(1);
  });

  it('when one IP asks for more codes than the limit, then 429 with RateLimit headers and Retry-After, while other IPs go on', async () => {
    const ip = clientIp();
    for (let i = 1; i <= 5; i++) {
      const ok = await requestOtp(randomPhone(), ip);
      expect(ok.status).toBe(200);
      expect(ok.headers['ratelimit']).toContain(`r=${5 - i}`);
      expect(ok.headers['ratelimit-policy']).toContain('q=5; w=900');
    }
    const refused = await requestOtp(randomPhone(), ip, '/api/auth/otp/request');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ success: false, error: { code: 'RATE_LIMIT_EXCEEDED', details: { limit: 5 } } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['ratelimit']).toContain('r=0');
    expect((await requestOtp(randomPhone(), clientIp())).status).toBe(200);
  });

  it('when the identifier or code is malformed, then 400 with field errors and no challenge is started', async () => {
    const ip = clientIp();
    for (const identifier of ['12345', '+9771234567890', 'not-an-email@', '9812345']) {
      const res = await requestOtp(identifier, ip);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'body.identifier' }] });
    }
    const badCode = await verify({ identifier: randomPhone(), code: '12ab56' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.details[0].field).toBe('body.code');
    expect(await fx.stack.orm.em.getConnection().execute('select 1 from otp_challenges where request_ip = ?', [ip])).toHaveLength(0);
  });

  it('when Sparrow fails for a moment, then the send activity retries and the code still arrives', async () => {
    const phone = randomPhone();
    fx.boxes.sms.failNext(1, 500, phone);
    expect((await requestOtp(phone)).status).toBe(200);
    expect(await readOtp(fx.boxes, phone)).toMatch(/^\d{6}$/);
    const [row] = await fx.stack.orm.em.getConnection().execute(`select send_attempts, status from otp_challenges where identifier = ?`, [phone]);
    expect(row).toEqual({ send_attempts: 2, status: 'sent' });
  });

  it('when Sparrow refuses the receiver for good, then no retry is made and verifying says the delivery failed', async () => {
    const phone = randomPhone();
    fx.boxes.sms.failNext(1, 403, phone, 1007);
    const sent = await requestOtp(phone);
    expect(sent.status).toBe(200);
    const row = await eventually(async () => {
      const [r] = await fx.stack.orm.em
        .getConnection()
        .execute(`select status, send_attempts, last_error from otp_challenges where id = ?`, [sent.body.data.challenge_id]);
      return r.status === 'failed' ? r : undefined;
    });
    expect(row.send_attempts).toBe(1);
    expect(row.last_error).toContain('1007');
    const res = await verify({ challenge_id: sent.body.data.challenge_id, code: '123456' });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('OTP_DELIVERY_FAILED');
  });
});
