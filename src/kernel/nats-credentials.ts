import { createHmac } from 'node:crypto';

/**
 * NATS identities, all derived from NATS_SECRET so the server's configuration, the backend and the
 * auth callout agree without a table: the backend's two service users (`auth` answers the auth
 * callout, `publisher` pushes to app users) and each app user's password.
 */
export type NatsServiceRole = 'auth' | 'publisher';

const derive = (secret: string, label: string) => createHmac('sha256', secret).update(label).digest('base64url');

export function natsServiceCredentials(secret: string, role: NatsServiceRole): { user: string; pass: string } {
  return { user: `svc-${role}`, pass: derive(secret, `nats-service:${role}`) };
}

/** An app user's NATS user and password (the user is the account id; the password is keyed). */
export function natsUserCredentials(secret: string, userId: string): { user: string; pass: string } {
  return { user: userId, pass: derive(secret, `nats-user:${userId}`) };
}
