import { callGateway, gatewayRefused, gatewayUnavailable } from '../../../../kernel/http/gateway-call';

export interface AtSettings {
  baseUrl: string;
  username: string;
  apiKey: string;
  senderId?: string;
  timeoutMs?: number;
}

/** Africa's Talking SMS: one message to one number; returns its messageId and status. */
export class AfricasTalkingClient {
  constructor(private readonly s: AtSettings) {}

  async send(phone: string, message: string): Promise<{ messageId: string | null; status: string }> {
    const form = new URLSearchParams({
      username: this.s.username,
      to: `+${phone.replace(/^\+/, '')}`,
      message,
      ...(this.s.senderId ? { from: this.s.senderId } : {}),
    });
    const a = await callGateway(`${this.s.baseUrl}/version1/messaging`, {
      method: 'POST',
      headers: { apiKey: this.s.apiKey, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      timeoutMs: this.s.timeoutMs,
    });
    if (a.status >= 500) throw gatewayUnavailable("Africa's Talking", a);
    const r = (a.body.SMSMessageData as { Recipients?: { statusCode: number; status: string; messageId: string }[] } | undefined)?.Recipients?.[0];
    if (a.status >= 400 || !r) throw gatewayRefused("Africa's Talking", a);
    const accepted = [100, 101, 102].includes(r.statusCode);
    return { messageId: accepted ? r.messageId : null, status: accepted ? r.status : `Rejected:${r.status}` };
  }
}
