import { SmsDeliveryError, type SmsMessage, type SmsReceipt, type SmsSender } from '../sms-sender';

export interface Msg91Options {
  /** `https://control.msg91.com` or the sandbox, e.g. `http://127.0.0.1:4014`. */
  baseUrl: string;
  authKey: string;
  /** A flow template whose one variable `text` is the whole (DLT-approved) message. */
  templateId: string;
  timeoutMs?: number;
}

/** +919876543210 → 919876543210 (MSG91 wants the country code without `+`). */
export const msg91Number = (e164: string) => e164.replace(/^\+/, '');

/**
 * MSG91 SMS Flow API v5: `POST {base}/api/v5/flow` with header `authkey`, JSON
 * `{template_id, short_url: "0", recipients: [{mobiles, text}]}`; answers `{type: "success", message: <request id>}`
 * or `{type: "error", message}`. 401 / 4xx are refusals a retry cannot fix; 5xx and 429 are retried.
 */
export class Msg91SmsSender implements SmsSender {
  constructor(private readonly opts: Msg91Options) {}

  async send(message: SmsMessage): Promise<SmsReceipt> {
    const body = { template_id: this.opts.templateId, short_url: '0', recipients: [{ mobiles: msg91Number(message.to), text: message.text }] };
    let res: Response;
    try {
      res = await fetch(`${this.opts.baseUrl.replace(/\/+$/, '')}/api/v5/flow`, {
        method: 'POST',
        headers: { authkey: this.opts.authKey, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new SmsDeliveryError(`MSG91 unreachable: ${(err as Error).message}`, true);
    }
    const payload = (await res.json().catch(() => ({}))) as { type?: string; message?: string };
    if (res.ok && payload.type === 'success') return { provider: 'msg91', accepted: 1, response: String(payload.message ?? '') };
    const retryable = res.status >= 500 || res.status === 429;
    throw new SmsDeliveryError(`MSG91 refused (${res.status}): ${payload.message ?? res.statusText}`, retryable, res.status);
  }
}
