import type { Config } from '../../../config';
import { SmtpEmailSender, type EmailSender } from './email-sender';
import type { SmsSender } from './sms-sender';
import { SparrowSmsSender } from './sparrow/sparrow.adapter';
import { Msg91SmsSender } from './msg91/msg91.adapter';
import { HttpSmsSender } from './http-sms';
import { RoutedSmsSender } from './routed-sms';

/** Outbound messages (OTP texts and emails; notifications reuse them). */
export interface Messaging {
  sms: SmsSender;
  email: EmailSender;
}

/** Real adapters from config; the defaults point at the loopback sandboxes. */
export function createMessaging(config: Config): Messaging {
  return {
    // Nepal through Sparrow; India (+91, the fleet product) through MSG91; Mongolia (+976, seed 000) through the generic HTTP SMS gateway.
    sms: new RoutedSmsSender(new SparrowSmsSender({ baseUrl: config.SPARROW_BASE_URL, token: config.SPARROW_TOKEN, from: config.SPARROW_FROM }), [
      { prefix: '+91', sender: new Msg91SmsSender({ baseUrl: config.MSG91_BASE_URL, authKey: config.MSG91_AUTH_KEY, templateId: config.MSG91_TEMPLATE_ID }) },
      { prefix: '+976', sender: new HttpSmsSender({ url: config.MN_SMS_URL, token: config.MN_SMS_TOKEN }) },
    ]),
    email: new SmtpEmailSender(config.SMTP_URL, config.EMAIL_FROM),
  };
}
