import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Agent } from 'node:https';
import type { App } from 'firebase-admin/app';
import { ServiceAccountJwtCredential } from './google-credential';
import { PushSendError, type PushMessage, type PushSender } from './push-sender';

/** FCM error codes after which a token is dead for good. */
const PERMANENT = new Set([
  'messaging/registration-token-not-registered',
  'messaging/invalid-registration-token',
  'messaging/invalid-argument',
  'messaging/mismatched-credential',
  'messaging/invalid-recipient',
]);

/** FIREBASE_SERVICE_ACCOUNT: the service-account JSON itself, or a path to the file. */
export function loadServiceAccount(value: string): Record<string, string> {
  const json = JSON.parse(value.trim().startsWith('{') ? value : fs.readFileSync(value, 'utf8')) as Record<string, string>;
  if (!json.project_id || !json.client_email || !json.private_key) throw new Error('FIREBASE_SERVICE_ACCOUNT needs project_id, client_email and private_key');
  return json;
}

/**
 * Firebase Cloud Messaging (HTTP v1) through firebase-admin, one named app per sender.
 * `httpAgent` carries both the OAuth token exchange and the FCM calls (the sandbox uses it).
 * firebase-admin loads with the first push, not with every process that imports the module.
 */
export class FcmPushSender implements PushSender {
  readonly mode = 'fcm' as const;
  private app?: Promise<App>;

  constructor(
    private readonly serviceAccount: Record<string, string>,
    private readonly httpAgent?: Agent,
  ) {}

  private firebaseApp(): Promise<App> {
    this.app ??= import('firebase-admin/app').then(({ initializeApp }) =>
      initializeApp(
        {
          credential: new ServiceAccountJwtCredential(this.serviceAccount, this.httpAgent),
          projectId: this.serviceAccount.project_id,
          ...(this.httpAgent ? { httpAgent: this.httpAgent } : {}),
        },
        `stationflow-push-${randomUUID()}`,
      ),
    );
    return this.app;
  }

  async send(m: PushMessage): Promise<string> {
    try {
      const [app, { getMessaging }] = await Promise.all([this.firebaseApp(), import('firebase-admin/messaging')]);
      return await getMessaging(app).send({
        token: m.token,
        notification: { title: m.title, body: m.body },
        data: m.data,
        android: { priority: 'high' },
        apns: { payload: { aps: { sound: 'default' } } },
      });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      const code = e.code ?? 'messaging/unknown-error';
      throw new PushSendError(code, e.message ?? code, PERMANENT.has(code));
    }
  }

  async close(): Promise<void> {
    if (!this.app) return;
    const [app, { deleteApp }] = await Promise.all([this.app, import('firebase-admin/app')]);
    await deleteApp(app).catch(() => undefined);
  }
}
