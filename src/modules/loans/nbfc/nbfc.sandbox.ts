import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { NBFC_EVENT_HEADER, NBFC_SIGNATURE_HEADER, signNbfcBody } from './nbfc-signature';
import { listenSandbox } from '../../../kernel/http/sandbox-server';

/**
 * A local NBFC (lender) for dev and tests, speaking the partner protocol of nbfc.client.ts:
 *   POST /v1/applications                    X-API-Key; idempotent on partner_reference
 *   POST /sandbox/applications/{id}/decide   {status, sanctioned_amount?, interest_rate?, duplicate?}:
 *        the lender's decision, sent as a signed webhook (X-NBFC-Signature, X-NBFC-Event-Id) to the
 *        configured webhook URL; `duplicate` delivers the same event twice (a retry)
 *   GET  /sandbox/applications               what it received
 */
export interface NbfcSandbox {
  port: number;
  url: string;
  setWebhookUrl(url: string): void;
  applications(): { id: string; partner_reference: string; amount: number; tenure_months: number; status: string }[];
  /** The lender decides (as its credit team would in its own portal); resolves with the webhook answers. */
  decide(
    partnerReference: string,
    d: { status: 'approved' | 'rejected'; sanctioned_amount?: number; interest_rate?: number; duplicate?: boolean },
  ): Promise<number[]>;
  stop(): Promise<void>;
}

type App = { id: string; partner_reference: string; amount: number; tenure_months: number; status: string };

function readJson(req: http.IncomingMessage): Promise<any> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        resolve(undefined);
      }
    });
  });
}

export async function startNbfcSandbox(opts: { port?: number; apiKey?: string; webhookSecret?: string; webhookUrl?: string } = {}): Promise<NbfcSandbox> {
  const apiKey = opts.apiKey ?? 'sandbox-nbfc-key';
  const secret = opts.webhookSecret ?? 'sandbox-nbfc-webhook-secret';
  let webhookUrl = opts.webhookUrl;
  const apps = new Map<string, App>();
  const decide: NbfcSandbox['decide'] = async (ref, d) => {
    const app = apps.get(ref);
    if (!app) throw new Error(`NBFC sandbox: no application ${ref}`);
    if (!webhookUrl) throw new Error('NBFC sandbox: no webhook URL configured');
    app.status = d.status;
    const body = JSON.stringify({
      event_id: `evt_${randomUUID()}`,
      applicationId: Number(ref),
      nbfc_application_id: app.id,
      status: d.status,
      ...(d.status === 'approved'
        ? { sanctionedAmount: d.sanctioned_amount ?? app.amount, interestRate: d.interest_rate ?? 14, tenureMonths: app.tenure_months }
        : {}),
      timestamp: new Date().toISOString(),
    });
    const headers = { 'content-type': 'application/json', [NBFC_SIGNATURE_HEADER]: signNbfcBody(secret, body), [NBFC_EVENT_HEADER]: JSON.parse(body).event_id };
    const statuses: number[] = [];
    for (let i = 0; i < (d.duplicate ? 2 : 1); i++) statuses.push((await fetch(webhookUrl, { method: 'POST', headers, body })).status);
    return statuses;
  };
  const server = http.createServer((req, res) => {
    void serve(req, res, { apiKey, apps, decide });
  });
  const { port, url, stop } = await listenSandbox(server, { name: 'NBFC sandbox', port: opts.port });
  return {
    port,
    url,
    setWebhookUrl: (u) => {
      webhookUrl = u;
    },
    applications: () => [...apps.values()],
    decide,
    stop,
  };
}

/** One request to the sandbox: the partner API or the sandbox's controls. */
async function serve(req: http.IncomingMessage, res: http.ServerResponse, ctx: { apiKey: string; apps: Map<string, App>; decide: NbfcSandbox['decide'] }) {
  const { apiKey, apps, decide } = ctx;
  const reply = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const url = new URL(req.url ?? '/', 'http://sandbox');
  if (req.method === 'GET' && url.pathname === '/sandbox/applications') return reply(200, { applications: [...apps.values()] });
  const decideMatch = /^\/sandbox\/applications\/([^/]+)\/decide$/.exec(url.pathname);
  if (req.method === 'POST' && decideMatch) return reply(200, { webhook_statuses: await decide(decideMatch[1], (await readJson(req)) ?? {}).catch(() => []) });
  if (req.method !== 'POST' || url.pathname !== '/v1/applications') return reply(404, { error: 'not found' });
  if (req.headers['x-api-key'] !== apiKey) return reply(401, { error: 'invalid api key' });
  const body = await readJson(req);
  if (!body?.partner_reference || !(body.loan?.amount > 0) || !(body.loan?.tenure_months > 0))
    return reply(400, { error: 'partner_reference, loan.amount and loan.tenure_months are required' });
  const existing = apps.get(String(body.partner_reference));
  if (existing) return reply(200, { application_id: existing.id, status: existing.status });
  const app = {
    id: `NBFC-${randomUUID().slice(0, 8).toUpperCase()}`,
    partner_reference: String(body.partner_reference),
    amount: body.loan.amount,
    tenure_months: body.loan.tenure_months,
    status: 'under_review',
  };
  apps.set(app.partner_reference, app);
  reply(201, { application_id: app.id, status: app.status });
}
