import { otpWorkflowId } from '../../src/modules/identity/workflows/definitions';
import { useMessagingStack } from '../support/fixtures';
import { clientIp, randomPhone, readOtp } from '../support/messaging';
import { deleteSweepSchedules, spawnStackWorker, type WorkerProcess } from '../support/workers';

/**
 * Item 14 of issue 9: a worker told to stop (SIGTERM, as a deploy or a scale-down does) drains. The
 * activity it is running finishes and reports its result before the process exits 0, instead of
 * being abandoned until its timeout and then run a second time by another worker.
 */
describe('a worker stopped with SIGTERM drains first', () => {
  const workers: WorkerProcess[] = [];
  const fx = useMessagingStack({ bridge: false, worker: false }, async ({ stack }, s) => {
    s.defer(() => deleteSweepSchedules(stack));
    s.defer(() => Promise.all(workers.map((w) => w.kill())));
    return {};
  });
  const challenge = async (id: string) =>
    (await fx.stack.orm.em.getConnection().execute('select status, send_attempts from otp_challenges where id = ?', [id]))[0] as {
      status: string;
      send_attempts: number;
    };

  it('when SIGTERM arrives while an SMS is being sent, then the send completes once, is recorded, and the process exits 0', async () => {
    const worker = await spawnStackWorker(fx.stack);
    workers.push(worker);
    const phone = randomPhone();
    fx.boxes.sms.setResponseDelay(3000); // the gateway answers 3 s after the message lands
    try {
      const sent = await fx.api().post('/api/auth/get-otp').set('X-Forwarded-For', clientIp()).send({ identifier: phone });
      expect(sent.status).toBe(200);
      const challengeId = sent.body.data.challenge_id as string;
      const code = await readOtp(fx.boxes, phone); // the activity is now waiting on the gateway's answer
      expect(await challenge(challengeId)).toEqual({ status: 'pending', send_attempts: 1 });

      const exit = await worker.child.stop('SIGTERM');

      expect(exit).toBe(0);
      // The activity finished in the stopping process: the challenge is sent, with one send.
      expect(await challenge(challengeId)).toEqual({ status: 'sent', send_attempts: 1 });
      expect(worker.child.stdout()).toMatch(/"msg":"worker drained"/);
      // Its completion reached Temporal: the history has the activity completed on its first attempt.
      const history = await fx.stack.temporal.workflow.getHandle(otpWorkflowId(challengeId)).fetchHistory();
      const completed = history.events!.filter((e) => e.activityTaskCompletedEventAttributes);
      expect(completed).toHaveLength(1);
      const started = history.events!.find((e) => e.activityTaskStartedEventAttributes);
      expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(1);

      // A new worker carries the workflow on: the code sent before the stop verifies.
      workers.push(await spawnStackWorker(fx.stack));
      const verified = await fx.api().post('/api/auth/otp/verify').set('X-Forwarded-For', clientIp()).send({ challenge_id: challengeId, code });
      expect(verified.status).toBe(200);
      expect(fx.boxes.sms.messages(phone.replace(/^\+977/, ''))).toHaveLength(1);
    } finally {
      fx.boxes.sms.setResponseDelay(0);
    }
  });
});
