import { AppError } from '../../src/kernel/errors';
import { OtpService, otpWorkflowId } from '../../src/modules/identity/services/otp.service';
import { verifyOtpUpdate } from '../../src/modules/identity';
import { messagingIn, stackIn, timeSkippingIn, useFixture } from '../support/fixtures';
import { randomPhone, readOtp } from '../support/messaging';
import { serverTimeSpent } from '../support/history';
import { eventually } from '../support/stack';
import { runStackWorker } from '../support/workers';

/**
 * The OTP workflow on Temporal's time-skipping server, with the real activities (real database,
 * real Sparrow sandbox) and the real OtpService: five minutes pass in well under a second.
 */
describe('OTP expiry (time-skipping)', () => {
  const fx = useFixture(async (s) => {
    const boxes = await messagingIn(s);
    const stack = await stackIn(s, { env: boxes.env, worker: false, bridge: false });
    const env = await timeSkippingIn(s);
    await s.use(runStackWorker(stack, env.nativeConnection, { namespace: 'default' }), (w) => w.stop());
    return { boxes, stack, env, otp: new OtpService({ orm: stack.orm, temporal: env.client, config: stack.config, brand: 'ChargeGhar' }) };
  });

  const status = async (id: string) => (await fx.stack.orm.em.getConnection().execute('select status from otp_challenges where id = ?', [id]))[0].status;

  it('when 5 minutes pass before the code is entered, then the update is refused as expired', async () => {
    const phone = randomPhone();
    const { challenge_id } = await fx.otp.request({ identifier: phone });
    const code = await readOtp(fx.boxes, phone);
    await fx.env.sleep(5 * 60_000 + 1_000);
    await eventually(async () => (await status(challenge_id)) === 'expired');

    const handle = fx.env.client.workflow.getHandle(otpWorkflowId(challenge_id));
    await expect(
      handle.executeUpdate(verifyOtpUpdate, { args: [{ attemptId: '00000000-0000-4000-8000-000000000000', tokenHash: 'b'.repeat(64) }] }),
    ).rejects.toThrow();
    const refused = await fx.otp.verify({ challenge_id, code }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'OTP_EXPIRED', status: 410 });
    expect(await handle.result()).toEqual({ state: 'expired', attempts: 0 });
    // Five minutes passed on the server's clock (skipped: the test's own timeout is a minute).
    expect(await serverTimeSpent(handle)).toBeGreaterThanOrEqual(5 * 60_000);
  });

  it('when the right code is entered just before 5 minutes, then it is accepted', async () => {
    const phone = randomPhone();
    const { challenge_id } = await fx.otp.request({ identifier: phone });
    const code = await readOtp(fx.boxes, phone);
    await fx.env.sleep(4 * 60_000 + 50_000);
    const verified = await fx.otp.verify({ challenge_id, code });
    expect(verified).toMatchObject({ identifier: phone, channel: 'sms', user_exists: false });
    expect(await status(challenge_id)).toBe('verified');
  });
});
