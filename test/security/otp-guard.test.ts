import { verifyOtpUpdate, otpWorkflowId } from '../../src/modules/identity';
import { hashOtpCode } from '../../src/modules/identity/services/otp-crypto';
import { useMessagingStack } from '../support/fixtures';
import { keepHistory } from '../support/record-history';
import { clientIp, randomEmail, randomPhone, readOtp } from '../support/messaging';
import { adminToken, eventually } from '../support/stack';

/** Every payload of a history as text (data and metadata), and the activity types it scheduled. */
function historyText(history: { events?: unknown[] | null }): { payloads: string; activities: string[]; markers: string } {
  const bytesIn = (root: unknown): string[] => {
    const texts: string[] = [];
    const walk = (v: unknown) => {
      if (v instanceof Uint8Array) texts.push(Buffer.from(v).toString('utf8'));
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(root);
    return texts;
  };
  const events = (history.events ?? []) as {
    activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
    markerRecordedEventAttributes?: unknown;
  }[];
  return {
    payloads: bytesIn(history.events).join('\n'),
    activities: events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter((n): n is string => Boolean(n)),
    markers: bytesIn(events.map((e) => e.markerRecordedEventAttributes).filter(Boolean)).join('\n'),
  };
}

describe('OTP codes: checked inside an activity, bounded per identifier across challenges', () => {
  const fx = useMessagingStack({ bridge: false });
  const db = () => fx.stack.orm.em.getConnection();
  const requestOtp = (identifier: string) => fx.api().post('/api/auth/get-otp').set('X-Forwarded-For', clientIp()).send({ identifier });
  const verify = (body: object) => fx.api().post('/api/auth/otp/verify').set('X-Forwarded-For', clientIp()).send(body);
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  /** The resend cooldown has passed for the identifier. */
  const coolDown = (identifier: string) =>
    db().execute(`update otp_request_gates set requested_at = now() - interval '61 seconds' where identifier = ?`, [identifier]);

  it('when a code is sent, mistyped and then verified, then the run history holds neither the code nor any code hash, and the check ran in an activity', async () => {
    const phone = randomPhone();
    const sent = await requestOtp(phone);
    const challengeId = sent.body.data.challenge_id as string;
    const code = await readOtp(fx.boxes, phone);
    expect((await verify({ challenge_id: challengeId, code: wrong(code) })).status).toBe(401);
    expect((await verify({ challenge_id: challengeId, code })).status).toBe(200);

    const handle = fx.stack.temporal.workflow.getHandle(otpWorkflowId(challengeId));
    await handle.result();
    await keepHistory(
      fx.stack,
      handle,
      'auth-otp-checked-in-activity',
      'OTP by SMS, one wrong code then the right one, both checked by the checkOtpAttempt activity (patch otp-code-checked-in-activity)',
    );
    const { payloads, activities, markers } = historyText(await handle.fetchHistory());
    const secret = fx.stack.config.OTP_HASH_SECRET;
    expect(payloads).toContain(challengeId); // the payloads were read
    expect(payloads).not.toContain(code);
    expect(payloads).not.toContain(hashOtpCode(secret, challengeId, code));
    expect(payloads).not.toContain(hashOtpCode(secret, challengeId, wrong(code)));
    const [stored] = await db().execute(`select code_hash from otp_challenges where id = ?`, [challengeId]);
    expect(payloads).not.toContain(stored.code_hash);
    expect(payloads).not.toMatch(/codeHash/);
    expect(activities.filter((a) => a === 'checkOtpAttempt')).toHaveLength(2);
    expect(markers).toContain('otp-code-checked-in-activity');
    // The typed codes' hashes are gone from the database too, once checked.
    const attempts = await db().execute(`select outcome, code_hash from otp_attempts where challenge_id = ? order by created_at`, [challengeId]);
    expect(attempts).toEqual([
      { outcome: 'mismatch', code_hash: null },
      { outcome: 'match', code_hash: null },
    ]);
  });

  it('when someone who can reach Temporal sends verifyOtp with a hash of their own, then the update is refused and the challenge stays open', async () => {
    const phone = randomPhone();
    const sent = await requestOtp(phone);
    const challengeId = sent.body.data.challenge_id as string;
    const code = await readOtp(fx.boxes, phone);
    const forged = { codeHash: hashOtpCode(fx.stack.config.OTP_HASH_SECRET, challengeId, code), tokenHash: 'b'.repeat(64) };
    const handle = fx.stack.temporal.workflow.getHandle(otpWorkflowId(challengeId));
    // The SMS is in the sandbox a moment before the run records it sent (ci10 queried 'sending').
    await eventually(async () => ((await handle.query('otpState')) as { state: string }).state === 'pending');
    const refused = await handle.executeUpdate(verifyOtpUpdate, { args: [forged as never] }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ cause: { type: 'OtpMalformed', message: expect.stringMatching(/hash is not accepted/) } });
    expect(await handle.query('otpState')).toEqual({ state: 'pending', attempts: 0 });
    const [tokens] = await db().execute(`select count(*)::int as n from verification_tokens where challenge_id = ?`, [challengeId]);
    expect(tokens.n).toBe(0);
  });

  it('when one email gets 100 wrong codes across 20 challenges, then the 100th locks it with 429 OTP_IDENTIFIER_LOCKED, new codes are refused, and admins see the alert', async () => {
    const email = randomEmail();
    let last: { challengeId: string; code: string } | undefined;
    let failures = 0;
    let final;
    for (let c = 1; c <= 20; c++) {
      if (c > 1) await coolDown(email);
      const sent = await requestOtp(email);
      expect(sent.status).toBe(200);
      last = { challengeId: sent.body.data.challenge_id, code: await readOtp(fx.boxes, email, c) };
      for (let i = 0; i < 5; i++) {
        final = await verify({ challenge_id: last.challengeId, code: wrong(last.code) });
        failures += 1;
        if (failures < 100) expect(final.status).toBe(i === 4 ? 429 : 401);
      }
    }
    expect(final!.status).toBe(429);
    expect(final!.body).toMatchObject({ success: false, error: { code: 'OTP_IDENTIFIER_LOCKED', details: { retry_after_seconds: 3600 } } });
    expect(final!.headers['retry-after']).toBe('3600');

    await coolDown(email);
    const again = await requestOtp(email);
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('OTP_IDENTIFIER_LOCKED');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(3500);

    const admin = await adminToken(fx.stack);
    const desk = await fx.api().get('/api/admin/attention').set('Authorization', `Bearer ${admin}`);
    const [lock] = await db().execute(`select id from otp_identifier_locks where identifier = ?`, [email]);
    const alert = desk.body.data.runs.find((r: { kind: string; id: string }) => r.kind === 'otp_identifier_lock' && r.id === lock.id);
    expect(alert.reason).toContain('100 failed OTP verifications');
    expect(alert.reason).not.toContain(email);
    const [{ n }] = await db().execute(`select count(*)::int as n from otp_attempts where identifier = ? and outcome = 'mismatch'`, [email]);
    expect(n).toBe(100);
  });

  it('when a phone is locked, then even its right code is not compared; after the lock the next failure locks it twice as long; an admin can release it', async () => {
    const phone = randomPhone();
    const sent = await requestOtp(phone);
    const challengeId = sent.body.data.challenge_id as string;
    const code = await readOtp(fx.boxes, phone);
    // 99 failures of other challenges today (older challenges of this phone).
    await db().execute(
      `insert into otp_challenges (id, identifier, channel, status, expires_at, created_at) values (gen_random_uuid(), ?, 'sms', 'locked', now(), now() - interval '25 hours')`,
      [phone],
    );
    await db().execute(
      `insert into otp_attempts (id, challenge_id, identifier, outcome, checked_at)
       select gen_random_uuid(), c.id, c.identifier, 'mismatch', now() - interval '1 hour' from otp_challenges c, generate_series(1, 99) where c.identifier = ? and c.status = 'locked'`,
      [phone],
    );
    const hundredth = await verify({ challenge_id: challengeId, code: wrong(code) });
    expect(hundredth.status).toBe(429);
    expect(hundredth.body.error).toMatchObject({ code: 'OTP_IDENTIFIER_LOCKED', details: { retry_after_seconds: 3600 } });
    const right = await verify({ challenge_id: challengeId, code });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('OTP_IDENTIFIER_LOCKED');

    // The lock runs out; the next challenge's first wrong code locks it again, twice as long.
    await db().execute(`update otp_identifier_locks set locked_until = now() - interval '1 second' where identifier = ?`, [phone]);
    await coolDown(phone);
    const next = await requestOtp(phone);
    expect(next.status).toBe(200);
    const nextCode = await readOtp(fx.boxes, phone, 2);
    const relock = await verify({ challenge_id: next.body.data.challenge_id, code: wrong(nextCode) });
    expect(relock.body.error).toMatchObject({ code: 'OTP_IDENTIFIER_LOCKED', details: { retry_after_seconds: 7200 } });
    const [lock] = await db().execute(`select id, lock_count from otp_identifier_locks where identifier = ?`, [phone]);
    expect(lock.lock_count).toBe(2);

    const admin = await adminToken(fx.stack);
    const released = await fx
      .api()
      .post(`/api/admin/attention/otp_identifier_lock/${lock.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ action: 'resolve' });
    expect(released.status).toBe(200);
    await coolDown(phone);
    const third = await requestOtp(phone);
    expect(third.status).toBe(200);
    const thirdCode = await readOtp(fx.boxes, phone, 3);
    expect((await verify({ challenge_id: third.body.data.challenge_id, code: thirdCode })).status).toBe(200);
  });

  it('when a phone has had 10 codes today, then the 11th request is refused with 429 OTP_DAILY_LIMIT and Retry-After, and no SMS is sent', async () => {
    const phone = randomPhone();
    for (let i = 1; i <= 10; i++) {
      if (i > 1) await coolDown(phone);
      expect((await requestOtp(phone)).status).toBe(200);
    }
    await coolDown(phone);
    const eleventh = await requestOtp(phone);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body).toMatchObject({ success: false, error: { code: 'OTP_DAILY_LIMIT' } });
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(86_000);
    await readOtp(fx.boxes, phone, 10);
    expect(fx.boxes.sms.messages(phone.replace(/^\+977/, ''))).toHaveLength(10);
    const [{ n }] = await db().execute(`select count(*)::int as n from otp_challenges where identifier = ?`, [phone]);
    expect(n).toBe(10);
  });
});
