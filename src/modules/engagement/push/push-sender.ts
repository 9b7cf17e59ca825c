/** One push message to one device. FCM data values must be strings. */
export interface PushMessage {
  token: string;
  title: string;
  body: string;
  data: Record<string, string>;
}

/**
 * Sends push notifications. `fcm` delivers through Firebase Cloud Messaging; `record` is used when
 * no Firebase credentials are configured: messages are only recorded in fcm_logs, never sent.
 */
export interface PushSender {
  readonly mode: 'fcm' | 'record';
  /** Resolves with the provider's message id; throws PushSendError. */
  send(message: PushMessage): Promise<string>;
  close?(): Promise<void>;
}

/** `permanent`: this device token will never work (unregistered, invalid); retrying cannot help. */
export class PushSendError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'PushSendError';
  }
}

/** FCM data payload: every value a string. */
export function toFcmData(data: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

export const recordingPushSender: PushSender = {
  mode: 'record',
  async send() {
    throw new PushSendError('not-configured', 'No Firebase credentials: push messages are recorded, not sent', true);
  },
};
