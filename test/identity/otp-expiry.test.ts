import type { Worker } from '@temporalio/worker';
import { AppError } from '../../src/api/errors';
import { createMessaging } from '../../src/integrations/messaging';
import { OtpService, otpWorkflowId } from '../../src/services/identity/otp.service';
import { createWorker } from '../../src/workers/temporal-worker';
import { verifyOtpUpdate } from '../../src/workflows/otp.workflow';
import { randomPhone, readOtp, startMessagingSandboxes, type MessagingSandboxes } from '../support/messaging';
import { createTimeSkippingEnv, type TimeSkippingEnv } from '../support/time-skipping';
import { eventually, startTestStack, type TestStack } from '../support/stack';

/**
 * The OTP workflow on Temporal's time-skipping server, with the real activities (real database,
 * real Sparrow sandbox) and the real OtpService: five minutes pass in well under a second.
 */
describe('OTP expiry (time-skipping)', () => {
  let stack: TestStack;
  let boxes: MessagingSandboxes;
  let env: TimeSkippingEnv;
  let worker: Worker;
  let running: Promise<void>;
  let otp: OtpService;

  beforeAll(async () => {
    boxes = await startMessagingSandboxes();
    stack = await startTestStack({ env: boxes.env, worker: false, bridge: false });
    env = await createTimeSkippingEnv();
    worker = await createWorker({
      connection: env.nativeConnection, namespace: 'default', taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      orm: stack.orm, bus: stack.bus, config: stack.config, messaging: createMessaging(stack.config),
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    });
    running = worker.run();
    otp = new OtpService({ orm: stack.orm, temporal: env.client, config: stack.config });
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await stack?.close();
    await boxes?.stop();
  });

  const status = async (id: string) => (await stack.orm.em.getConnection().execute('select status from otp_challenges where id = ?', [id]))[0].status;

  it('when 5 minutes pass before the code is entered, then the update is refused as expired', async () => {
    const phone = randomPhone();
    const started = Date.now();
    const { challenge_id } = await otp.request({ identifier: phone });
    const code = await readOtp(boxes, phone);
    await env.sleep(5 * 60_000 + 1_000);
    await eventually(async () => (await status(challenge_id)) === 'expired');

    const handle = env.client.workflow.getHandle(otpWorkflowId(challenge_id));
    await expect(handle.executeUpdate(verifyOtpUpdate, { args: [{ codeHash: 'a'.repeat(64), tokenHash: 'b'.repeat(64) }] })).rejects.toThrow();
    const refused = await otp.verify({ challenge_id, code }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'OTP_EXPIRED', status: 410 });
    expect(await handle.result()).toEqual({ state: 'expired', attempts: 0 });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('when the right code is entered just before 5 minutes, then it is accepted', async () => {
    const phone = randomPhone();
    const { challenge_id } = await otp.request({ identifier: phone });
    const code = await readOtp(boxes, phone);
    await env.sleep(4 * 60_000 + 50_000);
    const verified = await otp.verify({ challenge_id, code });
    expect(verified).toMatchObject({ identifier: phone, channel: 'sms', user_exists: false });
    expect(await status(challenge_id)).toBe('verified');
  });
});
