import type { SmsMessage, SmsReceipt, SmsSender } from './sms-sender';

/** Numbers under a country prefix (`+91`, `+976`) go to that country's sender, the rest to the default one. */
export class RoutedSmsSender implements SmsSender {
  constructor(
    private readonly fallback: SmsSender,
    private readonly routes: { prefix: string; sender: SmsSender }[],
  ) {}

  send(message: SmsMessage): Promise<SmsReceipt> {
    return (this.routes.find((r) => message.to.startsWith(r.prefix))?.sender ?? this.fallback).send(message);
  }
}
