import { randomBytes, randomInt } from 'node:crypto';
import express from 'express';
import { darajaPassword, darajaTimestamp } from '../../rules/daraja';
import { listenSandbox } from '../../../../kernel/http/sandbox-server';
import { renderSandboxPage } from '../page';
import { DARAJA_PATHS, RESULT_DESCRIPTIONS, STILL_PROCESSING, type StkCallback } from './daraja.protocol';

export interface DarajaSandboxOptions {
  host?: string;
  port?: number;
  consumerKey: string;
  consumerSecret: string;
  shortcode: string;
  passkey: string;
  /** Tests only: where a callback really goes (the API of a test listens on a port chosen after the config). */
  rewriteCallbackUrl?: (url: string) => string;
}

export interface StkPush {
  merchantRequestId: string;
  checkoutRequestId: string;
  amount: number;
  phone: string;
  callbackUrl: string;
  accountReference: string;
  resultCode?: number;
  receipt?: string;
}

export interface DarajaSandbox {
  /** Daraja unreachable (true) or back (false): every connection is dropped meanwhile. */
  outage(down: boolean): void;
  url: string;
  pushes: Map<string, StkPush>;
  /** The customer answers the prompt: 0 paid (PIN), 1032 cancelled, 1037 no answer, 2001 wrong PIN, 1 no balance. `lose` drops the callback. */
  answer(checkoutRequestId: string, resultCode: number, opts?: { lose?: boolean }): Promise<StkCallback>;
  lastPushTo(phone: string): StkPush | undefined;
  stop(): Promise<void>;
}

const err = (res: express.Response, status: number, errorCode: string, errorMessage: string) =>
  void res.status(status).json({ requestId: `${randomInt(10_000, 99_999)}-${randomInt(1_000_000, 9_999_999)}-1`, errorCode, errorMessage });

/** The callback Daraja posts for an answered prompt (metadata only on success; Balance without a Value). */
export function callbackBody(p: StkPush): { Body: { stkCallback: StkCallback } } {
  const code = p.resultCode!;
  const cb: StkCallback = {
    MerchantRequestID: p.merchantRequestId,
    CheckoutRequestID: p.checkoutRequestId,
    ResultCode: code,
    ResultDesc: RESULT_DESCRIPTIONS[code] ?? 'Failed',
  };
  if (code === 0)
    cb.CallbackMetadata = {
      Item: [
        { Name: 'Amount', Value: p.amount },
        { Name: 'MpesaReceiptNumber', Value: p.receipt! },
        { Name: 'Balance' },
        { Name: 'TransactionDate', Value: Number(darajaTimestamp(new Date())) },
        { Name: 'PhoneNumber', Value: Number(p.phone) },
      ],
    };
  return { Body: { stkCallback: cb } };
}

function routes(app: express.Express, o: DarajaSandboxOptions, pushes: Map<string, StkPush>, tokens: Map<string, number>) {
  let sequence = 0;
  app.get(DARAJA_PATHS.oauth, (req, res) => {
    const basic = Buffer.from(`${o.consumerKey}:${o.consumerSecret}`).toString('base64');
    if (req.query.grant_type !== 'client_credentials' || req.header('authorization') !== `Basic ${basic}`)
      return err(res, 400, '400.008.01', 'Invalid Authentication passed');
    const token = randomBytes(14).toString('base64url');
    tokens.set(token, Date.now() + 3599_000);
    res.json({ access_token: token, expires_in: '3599' });
  });
  const bearer: express.RequestHandler = (req, res, next) => {
    const token = /^Bearer (\S+)$/.exec(req.header('authorization') ?? '')?.[1];
    if (!token || (tokens.get(token) ?? 0) < Date.now()) return err(res, 401, '404.001.03', 'Invalid Access Token');
    next();
  };
  const passwordOk = (b: Record<string, unknown>) =>
    String(b.BusinessShortCode) === o.shortcode && b.Password === darajaPassword(o.shortcode, o.passkey, String(b.Timestamp ?? ''));
  app.post(DARAJA_PATHS.stkPush, bearer, (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (!passwordOk(b)) return err(res, 400, '400.002.02', 'Bad Request - Invalid Password');
    if (!Number.isInteger(Number(b.Amount)) || Number(b.Amount) < 1) return err(res, 400, '400.002.02', 'Bad Request - Invalid Amount');
    if (!/^2547\d{8}$|^2541\d{8}$/.test(String(b.PhoneNumber))) return err(res, 400, '400.002.02', 'Bad Request - Invalid PhoneNumber');
    if (!/^https?:\/\//.test(String(b.CallBackURL ?? ''))) return err(res, 400, '400.002.02', 'Bad Request - Invalid CallBackURL');
    const p: StkPush = {
      merchantRequestId: `${randomInt(10_000, 99_999)}-${randomInt(10_000_000, 99_999_999)}-1`,
      // Daraja never issues a CheckoutRequestID twice: the second and a sequence, not three random digits (two pushes
      // to one phone in one second had 1 in 900 to share an id, and fuzzing's many did: ci11).
      checkoutRequestId: `ws_CO_${darajaTimestamp(new Date())}${String(++sequence).padStart(3, '0')}${String(b.PhoneNumber)}`,
      amount: Number(b.Amount),
      phone: String(b.PhoneNumber),
      callbackUrl: String(b.CallBackURL),
      accountReference: String(b.AccountReference ?? ''),
    };
    pushes.set(p.checkoutRequestId, p);
    const ok = 'Success. Request accepted for processing';
    res.json({
      MerchantRequestID: p.merchantRequestId,
      CheckoutRequestID: p.checkoutRequestId,
      ResponseCode: '0',
      ResponseDescription: ok,
      CustomerMessage: ok,
    });
  });
  app.post(DARAJA_PATHS.stkQuery, bearer, (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (!passwordOk(b)) return err(res, 400, '400.002.02', 'Bad Request - Invalid Password');
    const p = pushes.get(String(b.CheckoutRequestID ?? ''));
    if (!p) return err(res, 400, '400.002.02', 'Bad Request - Invalid CheckoutRequestID');
    if (p.resultCode === undefined) return err(res, 500, STILL_PROCESSING.errorCode, STILL_PROCESSING.errorMessage);
    res.json({
      ResponseCode: '0',
      ResponseDescription: 'The service request has been accepted successsfully',
      MerchantRequestID: p.merchantRequestId,
      CheckoutRequestID: p.checkoutRequestId,
      ResultCode: String(p.resultCode),
      ResultDesc: RESULT_DESCRIPTIONS[p.resultCode] ?? 'Failed',
    });
  });
}

/** The phone of the sandbox: a page to enter the PIN, cancel, or fail the prompt. */
function phonePage(app: express.Express, o: DarajaSandboxOptions, pushes: Map<string, StkPush>, answer: (id: string, code: number) => Promise<unknown>) {
  app.get('/__sandbox/phone/:id', (req, res) => {
    const p = pushes.get(req.params.id);
    if (!p) return void res.status(404).type('html').send('<h1>No such prompt</h1>');
    const act = (label: string, code: number, tone?: 'primary' | 'danger') => ({
      label,
      action: `/__sandbox/phone/${p.checkoutRequestId}/answer`,
      fields: { code: String(code) },
      tone,
    });
    res.type('html').send(
      renderSandboxPage({
        gateway: 'M-Pesa',
        title: p.resultCode === undefined ? 'Enter your M-Pesa PIN' : `Answered (${p.resultCode})`,
        rows: [
          ['Pay', `KES ${p.amount}`],
          ['To', o.shortcode],
          ['Account', p.accountReference],
          ['Phone', p.phone],
        ],
        actions:
          p.resultCode === undefined
            ? [act('Enter PIN and pay', 0, 'primary'), act('Cancel', 1032, 'danger'), act('Wrong PIN', 2001), act('No balance', 1)]
            : [],
      }),
    );
  });
  app.post('/__sandbox/phone/:id/answer', async (req, res) => {
    await answer(req.params.id, Number((req.body as { code?: string }).code ?? 0)).catch(() => undefined);
    res.redirect(303, `/__sandbox/phone/${req.params.id}`);
  });
}

/** A local Daraja: OAuth, STK Push (the Password rule), STK Push Query, the callback POST, and a phone page to enter the PIN or cancel. */
export async function startDarajaSandbox(o: DarajaSandboxOptions): Promise<DarajaSandbox> {
  const pushes = new Map<string, StkPush>();
  const app = express();
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  routes(app, o, pushes, new Map());
  const answer = async (id: string, resultCode: number, opts: { lose?: boolean } = {}) => {
    const p = pushes.get(id);
    if (!p) throw new Error(`no STK push ${id}`);
    if (p.resultCode !== undefined) return callbackBody(p).Body.stkCallback;
    p.resultCode = resultCode;
    if (resultCode === 0) p.receipt = randomBytes(8).toString('hex').toUpperCase().slice(0, 10);
    const body = callbackBody(p);
    if (!opts.lose) {
      const url = o.rewriteCallbackUrl ? o.rewriteCallbackUrl(p.callbackUrl) : p.callbackUrl;
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      }).catch(() => undefined);
    }
    return body.Body.stkCallback;
  };
  phonePage(app, o, pushes, answer);
  const server = await listenSandbox(app, o);
  return {
    url: server.url,
    pushes,
    answer,
    lastPushTo: (phone) => [...pushes.values()].filter((p) => p.phone === phone).pop(),
    stop: server.stop,
    outage: server.outage,
  };
}
