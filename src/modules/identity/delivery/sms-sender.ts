/** The port every SMS provider adapter implements (Sparrow for Nepal; Africa's Talking later). */
export interface SmsMessage {
  /** E.164 number, e.g. +9779812345678; the adapter converts to the provider's format. */
  to: string;
  text: string;
}

export interface SmsReceipt {
  provider: string;
  /** How many messages the provider queued. */
  accepted: number;
  /** The provider's own answer, for the logs. */
  response: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<SmsReceipt>;
}

/** A refused or failed send. `retryable` is false for refusals that a retry cannot fix. */
export class SmsDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly providerCode?: number,
  ) {
    super(message);
    this.name = 'SmsDeliveryError';
  }
}
