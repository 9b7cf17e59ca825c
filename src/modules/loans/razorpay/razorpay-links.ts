import { createHmac, timingSafeEqual } from 'node:crypto';
import { callGateway } from '../../../kernel/http/gateway-call';

/**
 * Razorpay Payment Links (EMI collection): `POST {base}/payment_links` with
 * `Authorization: Basic base64(key_id:key_secret)`, amounts in paise, `reference_id` ≤ 40 unique
 * (a reused one is refused with 400, so a retried create looks the link up instead). Webhooks:
 * `X-Razorpay-Signature` = hex HMAC-SHA256(webhook secret, raw body), `x-razorpay-event-id` unique
 * per event (the de-duplication key).
 */
export interface RazorpayOptions {
  baseUrl: string;
  keyId: string;
  keySecret: string;
}

export interface PaymentLink {
  id: string;
  short_url: string;
  status: string;
  amount: number;
  reference_id: string;
}

const auth = (o: RazorpayOptions) => `Basic ${Buffer.from(`${o.keyId}:${o.keySecret}`).toString('base64')}`;

export async function createPaymentLink(
  o: RazorpayOptions,
  body: { amount: number; reference_id: string; description: string; customer: { name: string; contact: string }; expire_by?: number },
): Promise<PaymentLink> {
  const base = o.baseUrl.replace(/\/+$/, '');
  const res = await callGateway(`${base}/payment_links`, {
    method: 'POST',
    headers: { authorization: auth(o), 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, currency: 'INR', accept_partial: false, notify: { sms: false, email: false }, reminder_enable: false }),
  });
  const payload = res.body as unknown as PaymentLink & { error?: { code: string; description: string } };
  if (res.status >= 200 && res.status < 300) return payload;
  if (res.status === 400 && /reference_id/i.test(payload.error?.description ?? '')) {
    const found = await callGateway(`${base}/payment_links?reference_id=${encodeURIComponent(body.reference_id)}`, { headers: { authorization: auth(o) } });
    const list = found.body as { payment_links?: PaymentLink[] };
    if (list.payment_links?.[0]) return list.payment_links[0];
  }
  throw new Error(`Razorpay payment link refused (${res.status}): ${payload.error?.description ?? 'no reason given'}`);
}

export const signRazorpayWebhook = (secret: string, raw: Buffer | string) => createHmac('sha256', secret).update(raw).digest('hex');

export function verifyRazorpayWebhook(secret: string, raw: Buffer | undefined, signature: string | undefined): boolean {
  if (!raw || !signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signRazorpayWebhook(secret, raw), 'hex'), Buffer.from(signature.toLowerCase(), 'hex'));
}
