import { createHmac, timingSafeEqual } from 'node:crypto';
import { callGateway, gatewayRefused, gatewayUnavailable } from '../../../../kernel/http/gateway-call';

export interface PaystackSettings {
  baseUrl: string;
  secretKey: string;
  callbackUrl: string;
  timeoutMs?: number;
}

export interface PaystackTransaction {
  status: string;
  reference: string;
  amount: number;
  currency: string;
  channel?: string;
  id?: number;
  gateway_response?: string;
}

/** `x-paystack-signature`: HMAC-SHA512 hex of the raw body keyed with the secret key. */
export const paystackSignature = (secretKey: string, raw: Buffer | string) => createHmac('sha512', secretKey).update(raw).digest('hex');

export function paystackSignatureValid(secretKey: string, raw: Buffer | undefined, header: string | undefined): boolean {
  if (!raw || !header || !/^[0-9a-f]{128}$/i.test(header)) return false;
  return timingSafeEqual(Buffer.from(paystackSignature(secretKey, raw), 'hex'), Buffer.from(header, 'hex'));
}

/** Paystack's transaction API: initialize (hosted page) and verify. Amounts in subunits (cents for KES). */
export class PaystackClient {
  constructor(private readonly s: PaystackSettings) {}

  private headers() {
    return { authorization: `Bearer ${this.s.secretKey}`, 'content-type': 'application/json' };
  }

  async initialize(p: { email: string; amountMinor: number; currency: string; reference: string; metadata?: Record<string, unknown> }) {
    const a = await callGateway(`${this.s.baseUrl}/transaction/initialize`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({
        email: p.email,
        amount: p.amountMinor,
        currency: p.currency,
        reference: p.reference,
        callback_url: this.s.callbackUrl,
        metadata: p.metadata ?? {},
      }),
      timeoutMs: this.s.timeoutMs,
    });
    if (a.status >= 500) throw gatewayUnavailable('Paystack initialize', a);
    const data = a.body.data as { authorization_url?: string; access_code?: string } | undefined;
    if (a.status !== 200 || a.body.status !== true || !data?.authorization_url) throw gatewayRefused('Paystack initialize', a);
    return { authorizationUrl: data.authorization_url, accessCode: String(data.access_code) };
  }

  async verify(reference: string): Promise<PaystackTransaction | undefined> {
    const a = await callGateway(`${this.s.baseUrl}/transaction/verify/${encodeURIComponent(reference)}`, {
      headers: this.headers(),
      timeoutMs: this.s.timeoutMs,
    });
    if (a.status >= 500) throw gatewayUnavailable('Paystack verify', a);
    if (a.status === 404 || a.status === 400) return undefined;
    if (a.status !== 200 || a.body.status !== true) throw gatewayRefused('Paystack verify', a);
    return a.body.data as PaystackTransaction;
  }
}
