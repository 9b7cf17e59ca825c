import type { Config } from '../../../config';
import { SmtpEmailSender, type EmailSender } from './email-sender';
import type { SmsSender } from './sms-sender';
import { SparrowSmsSender } from './sparrow/sparrow.adapter';
import { HttpSmsSender, RoutedSmsSender } from './http-sms';

/** Outbound messages (OTP texts and emails; notifications reuse them). */
export interface Messaging {
  sms: SmsSender;
  email: EmailSender;
}

/** Real adapters from config; the defaults point at the loopback sandboxes. */
export function createMessaging(config: Config): Messaging {
  return {
    sms: new RoutedSmsSender(new SparrowSmsSender({ baseUrl: config.SPARROW_BASE_URL, token: config.SPARROW_TOKEN, from: config.SPARROW_FROM }), [
      // Mongolia (seed 000): the generic HTTP SMS gateway.
      { prefix: '+976', sender: new HttpSmsSender({ url: config.MN_SMS_URL, token: config.MN_SMS_TOKEN }) },
    ]),
    email: new SmtpEmailSender(config.SMTP_URL, config.EMAIL_FROM),
  };
}
