import { randomBytes } from 'node:crypto';
import express from 'express';
import { listenSandbox } from '../../../../kernel/http/sandbox-server';

export interface AtMessage {
  messageId: string;
  to: string;
  message: string;
  from?: string;
}

export interface AtSandbox {
  url: string;
  messages: AtMessage[];
  /** The dashboard's delivery-report URL (set after the API listens). */
  deliveryReportUrl?: string;
  /** Posts a delivery report (form-encoded, as Africa's Talking does) for a message. */
  report(messageId: string, status: 'Success' | 'Failed' | 'Rejected' | 'Sent' | 'Buffered', failureReason?: string): Promise<number>;
  lastTo(phone: string): AtMessage | undefined;
  stop(): Promise<void>;
  /** Africa's Talking unreachable (true) or back (false): every connection is dropped meanwhile. */
  outage(down: boolean): void;
}

/**
 * A local Africa's Talking SMS API (`POST /version1/messaging`, form-encoded, `apiKey` header,
 * username `sandbox`): nothing is delivered, messages are kept for the simulator and tests.
 */
export async function startAtSandbox(o: { host?: string; port?: number; apiKey: string; username: string; deliveryReportUrl?: string }): Promise<AtSandbox> {
  const messages: AtMessage[] = [];
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.post('/version1/messaging', (req, res) => {
    if (req.header('apikey') !== o.apiKey) return void res.status(401).type('text').send('The supplied authentication is invalid');
    const b = req.body as Record<string, string>;
    if (b.username !== o.username) return void res.status(401).type('text').send('The supplied authentication is invalid');
    if (!b.to || !b.message) return void res.status(400).type('text').send('Missing to or message');
    const recipients = b.to.split(',').map((to) => {
      const ok = /^\+\d{9,15}$/.test(to.trim());
      const messageId = `ATXid_${randomBytes(16).toString('hex')}`;
      if (ok) messages.push({ messageId, to: to.trim(), message: b.message, from: b.from });
      return ok
        ? { statusCode: 101, number: to.trim(), status: 'Success', cost: 'KES 0.8000', messageId }
        : { statusCode: 403, number: to.trim(), status: 'InvalidPhoneNumber', cost: '0', messageId: 'None' };
    });
    const sent = recipients.filter((r) => r.statusCode === 101).length;
    res
      .status(201)
      .json({ SMSMessageData: { Message: `Sent to ${sent}/${recipients.length} Total Cost: KES ${(sent * 0.8).toFixed(4)}`, Recipients: recipients } });
  });
  // The simulator's inbox (what Africa's Talking's web simulator shows): the messages to a number.
  app.get('/__sandbox/messages', (req, res) => {
    const to = String(req.query.to ?? '').replace(/^\+?/, '+');
    res.json({ messages: messages.filter((m) => to === '+' || m.to === to) });
  });
  const server = await listenSandbox(app, o);
  const sandbox: AtSandbox = {
    url: server.url,
    messages,
    deliveryReportUrl: o.deliveryReportUrl,
    async report(messageId, status, failureReason) {
      const m = messages.find((x) => x.messageId === messageId);
      if (!m || !sandbox.deliveryReportUrl) throw new Error('no such message or no delivery report URL');
      const form = new URLSearchParams({
        id: messageId,
        status,
        phoneNumber: m.to,
        networkCode: '63902',
        retryCount: '0',
        ...(failureReason ? { failureReason } : {}),
      });
      const res = await fetch(sandbox.deliveryReportUrl, { method: 'POST', body: form, signal: AbortSignal.timeout(10_000) });
      return res.status;
    },
    lastTo: (phone) => messages.filter((m) => m.to === phone || m.to === `+${phone}`).pop(),
    stop: server.stop,
    outage: server.outage,
  };
  return sandbox;
}
