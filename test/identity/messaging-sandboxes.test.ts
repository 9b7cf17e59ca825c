import { EmailDeliveryError, SmtpEmailSender } from '../../src/modules/identity/delivery/email-sender';
import { startSmtpSandbox, startSmsSandbox } from '../../src/modules/identity/delivery/sandboxes';
import { SmsDeliveryError } from '../../src/modules/identity/delivery/sms-sender';
import { SparrowSmsSender } from '../../src/modules/identity/delivery/sparrow/sparrow.adapter';
import { useFixture } from '../support/fixtures';

/** The adapters against the local sandboxes, which speak Sparrow SMS v2 and SMTP. */
describe('Sparrow SMS and SMTP sandboxes with their adapters', () => {
  const fx = useFixture(async (s) => ({
    sms: await s.use(startSmsSandbox({ senders: ['ChargeGhar'] }), (b) => b.stop()),
    smtp: await s.use(startSmtpSandbox({ rejectRecipients: ['bounce@example.com'] }), (b) => b.stop()),
  }));

  const sparrow = (over: Partial<{ token: string; from: string }> = {}) =>
    new SparrowSmsSender({ baseUrl: fx.sms.url, token: over.token ?? 'sandbox-token', from: over.from ?? 'ChargeGhar' });

  it('when the adapter sends a text, then Sparrow queues it for the 10-digit number and the inbox shows it', async () => {
    const receipt = await sparrow().send({ to: '+9779801234567', text: 'hello 123456' });
    expect(receipt).toEqual({ provider: 'sparrow', accepted: 1, response: '1 mesages has been queued for delivery' });
    expect(fx.sms.messages('9801234567')).toEqual([expect.objectContaining({ from: 'ChargeGhar', to: '9801234567', text: 'hello 123456' })]);
  });

  it('when the token, sender or receiver is wrong, then 403 with Sparrow codes and the adapter marks them permanent', async () => {
    const cases: [SparrowSmsSender, string, number][] = [
      [sparrow({ token: 'wrong' }), '+9779801234567', 1002],
      [sparrow({ from: 'Unknown' }), '+9779801234567', 1008],
      [sparrow(), '12345', 1007],
    ];
    for (const [sender, to, code] of cases) {
      const err = await sender.send({ to, text: 'x' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SmsDeliveryError);
      expect(err).toMatchObject({ providerCode: code, retryable: false });
    }
  });

  it('when the sandbox is asked with GET and for credits, then it answers as Sparrow does', async () => {
    const base = fx.sms.url;
    const credits = async () =>
      (await (await fetch(`${base}/credit/?token=sandbox-token`)).json()) as { credits_consumed: number; credits_available: number; response_code: number };
    const before = await credits();
    const sent = await fetch(`${base}/sms/?token=sandbox-token&from=ChargeGhar&to=9812345678,9867654321&text=hi`);
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ count: 2, response_code: 200, response: '2 mesages has been queued for delivery' });
    const missing = await fetch(`${base}/sms/?token=sandbox-token&from=ChargeGhar&to=9812345678`);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ response_code: 1000 });
    const credit = await credits();
    expect(credit).toMatchObject({ response_code: 200 });
    // One credit per recipient of the queued message; the refused one cost nothing.
    expect(credit.credits_consumed - before.credits_consumed).toBe(2);
    expect(before.credits_available - credit.credits_available).toBe(2);
  });

  it('when a provider error is temporary, then the adapter marks it retryable', async () => {
    fx.sms.failNext(1, 503);
    const err = await sparrow()
      .send({ to: '+9779801234567', text: 'x' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true });
  });

  it('when an email is sent over SMTP, then the sandbox inbox has it; a 550 recipient is a permanent failure', async () => {
    const mailer = new SmtpEmailSender(fx.smtp.url, 'ChargeGhar <no-reply@chargeghar.local>');
    try {
      await mailer.send({ to: 'Someone@Example.com', subject: 'Code 654321', text: 'Your code is 654321' });
      expect(fx.smtp.messages('someone@example.com')).toEqual([expect.objectContaining({ subject: 'Code 654321', text: expect.stringContaining('654321') })]);
      const err = await mailer.send({ to: 'bounce@example.com', subject: 's', text: 't' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EmailDeliveryError);
      expect(err).toMatchObject({ retryable: false, responseCode: 550 });
    } finally {
      mailer.close();
    }
  });
});
