import { darajaPassword, darajaTimestamp } from '../../rules/daraja';
import { callGateway, gatewayRefused, gatewayUnavailable } from '../../../../kernel/http/gateway-call';
import { DARAJA_PATHS, STILL_PROCESSING } from './daraja.protocol';

export interface DarajaSettings {
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  shortcode: string;
  passkey: string;
  callbackUrl: string;
  timeoutMs?: number;
}

export type StkQueryResult = { state: 'pending' } | { state: 'answered'; resultCode: number; resultDesc: string };

/** Daraja's OAuth (token cached until a minute before it expires), STK Push and STK Push Query. */
export class DarajaClient {
  private token?: { value: string; refreshAt: number };

  constructor(private readonly s: DarajaSettings) {}

  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.refreshAt) return this.token.value;
    const basic = Buffer.from(`${this.s.consumerKey}:${this.s.consumerSecret}`).toString('base64');
    const a = await callGateway(`${this.s.baseUrl}${DARAJA_PATHS.oauth}?grant_type=client_credentials`, {
      headers: { authorization: `Basic ${basic}` },
      timeoutMs: this.s.timeoutMs,
    });
    if (a.status >= 500) throw gatewayUnavailable('Daraja OAuth', a);
    if (a.status !== 200 || typeof a.body.access_token !== 'string') throw gatewayRefused('Daraja OAuth', a);
    const ttl = Number(a.body.expires_in ?? 3599) * 1000;
    this.token = { value: a.body.access_token, refreshAt: Date.now() + Math.max(ttl - 60_000, 0) };
    return this.token.value;
  }

  private async post(path: string, body: Record<string, unknown>) {
    const timestamp = darajaTimestamp(new Date());
    const call = async () =>
      callGateway(`${this.s.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await this.accessToken()}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          BusinessShortCode: this.s.shortcode,
          Password: darajaPassword(this.s.shortcode, this.s.passkey, timestamp),
          Timestamp: timestamp,
          ...body,
        }),
        timeoutMs: this.s.timeoutMs,
      });
    let a = await call();
    if (a.status === 401) {
      this.token = undefined; // revoked or expired early: one fresh token
      a = await call();
    }
    return a;
  }

  /** Sends the PIN prompt; returns Daraja's ids (acceptance only, not payment). */
  async stkPush(p: { phone: string; amount: number; accountReference: string; description: string }) {
    const a = await this.post(DARAJA_PATHS.stkPush, {
      TransactionType: 'CustomerPayBillOnline',
      Amount: p.amount,
      PartyA: Number(p.phone),
      PartyB: Number(this.s.shortcode),
      PhoneNumber: Number(p.phone),
      CallBackURL: this.s.callbackUrl,
      AccountReference: p.accountReference.slice(0, 12),
      TransactionDesc: p.description.slice(0, 13),
    });
    if (a.status >= 500) throw gatewayUnavailable('Daraja STK push', a);
    if (a.status !== 200 || a.body.ResponseCode !== '0') throw gatewayRefused('Daraja STK push', a);
    return { merchantRequestId: String(a.body.MerchantRequestID), checkoutRequestId: String(a.body.CheckoutRequestID) };
  }

  /** What Daraja says of a push: still waiting for the customer, or answered with a result code. */
  async stkQuery(checkoutRequestId: string): Promise<StkQueryResult> {
    const a = await this.post(DARAJA_PATHS.stkQuery, { CheckoutRequestID: checkoutRequestId });
    if (a.body.errorCode === STILL_PROCESSING.errorCode || a.body.ResultCode === '4999') return { state: 'pending' };
    if (a.status >= 500) throw gatewayUnavailable('Daraja STK query', a);
    if (a.status !== 200 || a.body.ResultCode === undefined) throw gatewayRefused('Daraja STK query', a);
    return { state: 'answered', resultCode: Number(a.body.ResultCode), resultDesc: String(a.body.ResultDesc ?? '') };
  }
}
