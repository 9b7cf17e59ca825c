import { localNepaliNumber } from '../../rules/identifier';
import { SmsDeliveryError, type SmsMessage, type SmsReceipt, type SmsSender } from '../sms-sender';

export interface SparrowOptions {
  /** `https://api.sparrowsms.com/v2` or the sandbox, e.g. `http://127.0.0.1:4010/v2`. */
  baseUrl: string;
  token: string;
  /** The approved sender identity. */
  from: string;
  timeoutMs?: number;
}

/** Sparrow's 403 codes that mean the request itself is wrong: retrying cannot help. */
const PERMANENT = new Set([1000, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1010, 1011]);

/**
 * Sparrow SMS API v2: `POST {base}/sms/` form-encoded `token, from, to, text`; 200
 * `{count, response_code: 200, response}`; refusals are 403 `{response_code, response}`.
 */
export class SparrowSmsSender implements SmsSender {
  constructor(private readonly opts: SparrowOptions) {}

  async send(message: SmsMessage): Promise<SmsReceipt> {
    const body = new URLSearchParams({ token: this.opts.token, from: this.opts.from, to: localNepaliNumber(message.to), text: message.text });
    let res: Response;
    try {
      res = await fetch(`${this.opts.baseUrl.replace(/\/+$/, '')}/sms/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new SmsDeliveryError(`Sparrow unreachable: ${(err as Error).message}`, true);
    }
    const payload = (await res.json().catch(() => ({}))) as { count?: number; response_code?: number; response?: string };
    if (res.status === 200 && payload.response_code === 200) {
      return { provider: 'sparrow', accepted: Number(payload.count ?? 1), response: String(payload.response ?? '') };
    }
    const code = Number(payload.response_code ?? res.status);
    const retryable = res.status >= 500 || res.status === 429 || (res.status === 403 && !PERMANENT.has(code));
    throw new SmsDeliveryError(`Sparrow refused (${res.status}/${code}): ${payload.response ?? res.statusText}`, retryable, code);
  }
}
