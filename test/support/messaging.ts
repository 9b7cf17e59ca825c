import { startSmsSandbox, startSmtpSandbox, type SmsSandbox, type SmtpSandbox } from '../../src/modules/identity/delivery/sandboxes';
import { eventually } from './stack';
import { testRandom } from './random';

export interface MessagingSandboxes {
  sms: SmsSandbox;
  smtp: SmtpSandbox;
  /** For startTestStack({ env }). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The Sparrow SMS and SMTP sandboxes of one test file, on free loopback ports. */
export async function startMessagingSandboxes(): Promise<MessagingSandboxes> {
  const sms = await startSmsSandbox();
  const smtp = await startSmtpSandbox({ httpPort: 0 });
  return {
    sms,
    smtp,
    env: { SPARROW_BASE_URL: sms.url, SPARROW_TOKEN: 'sandbox-token', SMTP_URL: smtp.url },
    stop: async () => {
      await sms.stop();
      await smtp.stop();
    },
  };
}

/**
 * Waits for message number `nth` (1-based) to reach `identifier` (phone or email) and returns the
 * 6-digit code in it, read over the sandbox's own HTTP inbox as a developer would.
 */
export async function readOtp(boxes: MessagingSandboxes, identifier: string, nth = 1): Promise<string> {
  const isEmail = identifier.includes('@');
  const url = isEmail
    ? `${boxes.smtp.inboxUrl}/sandbox/emails?to=${encodeURIComponent(identifier)}`
    : `${boxes.sms.url.replace(/\/v2$/, '')}/sandbox/messages?to=${encodeURIComponent(identifier.replace(/^\+977/, ''))}`;
  const text = await eventually(async () => {
    const { messages } = (await (await fetch(url)).json()) as { messages: { text: string }[] };
    return messages.length >= nth ? messages[nth - 1].text : undefined;
  }, 15_000);
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`no code in "${text}"`);
  return code;
}

/**
 * A fresh random client address, sent as X-Forwarded-For (trusted from loopback). Random rather
 * than sequential: the per-IP counters live in the database shared by every test file of the run.
 */
export const clientIp = () => `10.${[0, 1, 2].map(() => testRandom().int(256)).join('.')}`;

/** A random Nepali mobile number, E.164. */
export const randomPhone = () => `+97798${testRandom().digits(8)}`;
export const randomEmail = () => `user.${testRandom().text(8)}@example.com`;
