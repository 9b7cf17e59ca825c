import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import http from 'node:http';
import jwt from 'jsonwebtoken';
import { listenSandbox } from '../../../kernel/http/sandbox-server';

export interface SandboxPush {
  project: string;
  token: string;
  title?: string;
  body?: string;
  data: Record<string, string>;
  name: string;
}

export interface FcmSandbox {
  /** Use as FCM_SANDBOX_URL. */
  url: string;
  /** Use as FIREBASE_SERVICE_ACCOUNT (its private key signs the token requests). */
  serviceAccountJson: string;
  delivered: SandboxPush[];
  /** The next `n` sends answer HTTP `status` (500 INTERNAL by default). */
  failNext(n: number, status?: number): void;
  /** Tokens FCM answers as UNREGISTERED. */
  unregistered: Set<string>;
  close(): Promise<void>;
}

const TOKEN_PATHS = new Set(['www.googleapis.com/oauth2/v4/token', 'oauth2.googleapis.com/token']);
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** What the two endpoints share: the service account they trust, and what the sandbox issued and received. */
interface FcmSandboxState {
  project: string;
  clientEmail: string;
  publicKey: KeyObject;
  accessTokens: Set<string>;
  delivered: SandboxPush[];
  unregistered: Set<string>;
  failures: { n: number; status: number };
}

function fcmError(res: http.ServerResponse, status: number, message: string, errorCode?: string) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      error: {
        code: status,
        message,
        status: STATUS_NAMES[status] ?? 'UNKNOWN',
        ...(errorCode ? { details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] } : {}),
      },
    }),
  );
}

/** Google's OAuth2 JWT-bearer exchange: an RS256 assertion from the service account gets an access token. */
function exchangeToken(state: FcmSandboxState, raw: string, res: http.ServerResponse): void {
  const form = new URLSearchParams(raw);
  try {
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') throw new Error('unsupported_grant_type');
    const claims = jwt.verify(form.get('assertion') ?? '', state.publicKey, { algorithms: ['RS256'] }) as jwt.JwtPayload;
    if (claims.iss !== state.clientEmail) throw new Error('invalid_grant: unknown issuer');
    if (![...TOKEN_PATHS].some((p) => claims.aud === `https://${p}`)) throw new Error('invalid_grant: wrong audience');
    if (!String(claims.scope ?? '').match(/firebase\.messaging|cloud-platform/)) throw new Error('invalid_scope');
  } catch (err) {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: (err as Error).message }));
    return;
  }
  const token = `ya29.sandbox-${randomBytes(16).toString('hex')}`;
  state.accessTokens.add(token);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: 3599, token_type: 'Bearer' }));
}

/** FCM HTTP v1 `projects/{p}/messages:send` on fcm.googleapis.com, with FCM's errors; anything else is a 404. */
function sendMessage(state: FcmSandboxState, req: http.IncomingMessage, res: http.ServerResponse, host: string, path: string, raw: string): void {
  const { project } = state;
  const send = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(path);
  if (req.method !== 'POST' || host !== 'fcm.googleapis.com' || !send) return fcmError(res, 404, `No route ${req.method} ${host}${path}`);
  const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
  if (!state.accessTokens.has(bearer)) return fcmError(res, 401, 'Request had invalid authentication credentials.', 'THIRD_PARTY_AUTH_ERROR');
  if (send[1] !== project) return fcmError(res, 403, 'SenderId mismatch', 'SENDER_ID_MISMATCH');
  const { failures } = state;
  if (failures.n > 0) {
    failures.n--;
    return fcmError(res, failures.status, 'Internal error encountered.', failures.status === 503 ? 'UNAVAILABLE' : 'INTERNAL');
  }
  let message: Record<string, unknown>;
  try {
    message = (JSON.parse(raw) as { message: Record<string, unknown> }).message;
  } catch {
    return fcmError(res, 400, 'Invalid JSON payload received.');
  }
  const token = message?.token;
  if (typeof token !== 'string' || !token) return fcmError(res, 400, 'Exactly one of token, topic or condition must be specified.', 'INVALID_ARGUMENT');
  const data = (message.data ?? {}) as Record<string, unknown>;
  if (Object.values(data).some((v) => typeof v !== 'string'))
    return fcmError(res, 400, 'Invalid value at message.data: values must be strings', 'INVALID_ARGUMENT');
  if (state.unregistered.has(token)) return fcmError(res, 404, 'Requested entity was not found.', 'UNREGISTERED');
  const notification = (message.notification ?? {}) as { title?: string; body?: string };
  const name = `projects/${project}/messages/${randomUUID()}`;
  state.delivered.push({ project, token, title: notification.title, body: notification.body, data: data as Record<string, string>, name });
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name }));
}

/**
 * A local FCM: Google's OAuth2 JWT-bearer token exchange (RS256 assertion checked against the
 * service account's key) and FCM HTTP v1 `projects/{p}/messages:send` with its error format.
 * Requests are routed by Host header, as they arrive through loopbackAgent().
 */
export async function startFcmSandbox(opts: { project?: string } = {}): Promise<FcmSandbox> {
  const project = opts.project ?? 'stationflow-sandbox';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = `push@${project}.iam.gserviceaccount.com`;
  const serviceAccountJson = JSON.stringify({
    type: 'service_account',
    project_id: project,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: '100000000000000000000',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  const state: FcmSandboxState = {
    project,
    clientEmail,
    publicKey,
    accessTokens: new Set(),
    delivered: [],
    unregistered: new Set(),
    failures: { n: 0, status: 500 },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      const host = String(req.headers.host ?? '').split(':')[0];
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'POST' && TOKEN_PATHS.has(`${host}${path}`)) return exchangeToken(state, raw, res);
      sendMessage(state, req, res, host, path, raw);
    });
  });
  const { url, stop } = await listenSandbox(server, { name: 'FCM sandbox' });
  return {
    url,
    serviceAccountJson,
    delivered: state.delivered,
    unregistered: state.unregistered,
    failNext: (n, status = 500) => {
      state.failures = { n, status };
    },
    close: stop,
  };
}
