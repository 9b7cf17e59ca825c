import { DEV_SMS_SANDBOX_PORT, DEV_SMTP_SANDBOX_PORT } from '../../../config/identity';
import { startSmtpSandbox } from './smtp-sandbox';
import { startSmsSandbox } from './sparrow/sparrow.sandbox';

/**
 * Local sandboxes for outbound messages, for `npm run dev` and tests. Start them on the ports the
 * config defaults point at (DEV_SMS_SANDBOX_PORT, DEV_SMTP_SANDBOX_PORT) or on any port and pass
 * SPARROW_BASE_URL / SMTP_URL.
 */
export { startSmsSandbox, type SmsSandbox, type SandboxSms } from './sparrow/sparrow.sandbox';
export { startSmtpSandbox, type SmtpSandbox, type SandboxEmail } from './smtp-sandbox';
export { startMsg91Sandbox, type Msg91Sandbox, type Msg91SandboxMessage } from './msg91/msg91.sandbox';
export { startHttpSmsSandbox, type HttpSmsSandbox } from './http-sms';
export { DEV_SMS_SANDBOX_PORT, DEV_SMTP_SANDBOX_PORT };

/** Where `npm run dev` serves the email inbox: GET http://127.0.0.1:4011/sandbox/emails?to= */
export const DEV_SMTP_INBOX_PORT = 4011;

/**
 * Both sandboxes on the ports the default config points at, for `npm run dev`. SMS inbox:
 * GET http://127.0.0.1:4010/sandbox/messages?to=98XXXXXXXX; email inbox on DEV_SMTP_INBOX_PORT.
 */
export async function startDevMessagingSandboxes() {
  const sms = await startSmsSandbox({ port: DEV_SMS_SANDBOX_PORT });
  const smtp = await startSmtpSandbox({ port: DEV_SMTP_SANDBOX_PORT, httpPort: DEV_SMTP_INBOX_PORT });
  return {
    sms,
    smtp,
    urls: { sparrow: sms.url, smsInbox: `http://127.0.0.1:${sms.port}/sandbox/messages`, smtp: smtp.url, emailInbox: `${smtp.inboxUrl}/sandbox/emails` },
    stop: async () => {
      await sms.stop();
      await smtp.stop();
    },
  };
}
