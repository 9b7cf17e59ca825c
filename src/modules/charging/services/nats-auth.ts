import { timingSafeEqual } from 'node:crypto';
import { decode, encodeAuthorizationResponse, encodeUser } from '@nats-io/jwt';
import { fromSeed } from '@nats-io/nkeys';
import type { connect } from '@nats-io/transport-node';
import { natsServiceCredentials, natsUserCredentials } from '../../../kernel/nats-credentials';
import { logger } from '../../../kernel/logger';
import { userTopic } from '../rules/topics';

export interface NatsAuthOptions {
  url: string;
  secret: string;
  issuerSeed: string;
  topicPrefix: string;
  /** The account app users are placed in (the server's configuration names it). */
  account?: string;
}

type NatsConnection = Awaited<ReturnType<typeof connect>>;

/** The NATS client loads when a connection is first made, not with every process that imports the charging module. */
const natsConnect: typeof connect = async (opts) => (await import('@nats-io/transport-node')).connect(opts);
type Msg = Parameters<Parameters<NatsConnection['subscribe']>[1] & {}>['callback'] extends (e: unknown, m: infer M) => void ? M : never;

/** The authorization request's claims this service reads. */
interface AuthRequest {
  user_nkey: string;
  server_id: { id: string };
  connect_opts: { user?: string; pass?: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The NATS auth callout: every app connection's user and password come here
 * (`$SYS.REQ.USER.AUTH`); a password keyed from NATS_SECRET for that user id earns a user JWT that
 * may subscribe to the user's own topic only and publish nowhere. Anything else is refused.
 */
export class NatsAuthService {
  private nc?: NatsConnection;

  constructor(private readonly opts: NatsAuthOptions) {}

  async start(): Promise<void> {
    const creds = natsServiceCredentials(this.opts.secret, 'auth');
    this.nc = await natsConnect({ servers: this.opts.url, user: creds.user, pass: creds.pass, name: 'ev-auth-callout', maxReconnectAttempts: -1 });
    const sub = this.nc.subscribe('$SYS.REQ.USER.AUTH');
    void (async () => {
      for await (const msg of sub) await this.answer(msg).catch((err) => logger.warn({ err }, 'nats auth callout: no answer'));
    })();
    await this.nc.flush();
  }

  private async answer(msg: Msg): Promise<void> {
    const issuer = fromSeed(new TextEncoder().encode(this.opts.issuerSeed));
    const request = decode<AuthRequest>(new TextDecoder().decode(msg.data)).nats as AuthRequest;
    const { user_nkey: userNkey, server_id: server, connect_opts: given } = request;
    const user = given.user ?? '';
    const expected = UUID.test(user) ? natsUserCredentials(this.opts.secret, user).pass : undefined;
    if (!expected || !sameSecret(expected, given.pass ?? '')) {
      msg.respond(await encodeAuthorizationResponse(userNkey, server.id, issuer, { error: 'invalid credentials' }, {}));
      return;
    }
    const permissions = { pub: { deny: ['>'] }, sub: { allow: [userTopic(this.opts.topicPrefix, user)] } };
    const jwt = await encodeUser(user, userNkey, issuer, permissions, { aud: this.opts.account ?? 'APP' });
    msg.respond(await encodeAuthorizationResponse(userNkey, server.id, issuer, { jwt }, {}));
  }

  async stop(): Promise<void> {
    await this.nc?.drain().catch(() => undefined);
  }
}

/** The backend's publisher: JSON messages to one user's topic. Its connection closes after IDLE_MS without messages. */
export class NatsPublisher {
  private nc?: Promise<NatsConnection>;
  private idle?: NodeJS.Timeout;
  static readonly IDLE_MS = 2000;

  constructor(private readonly opts: { url: string; secret: string; topicPrefix: string }) {}

  private connection(): Promise<NatsConnection> {
    const creds = natsServiceCredentials(this.opts.secret, 'publisher');
    this.nc ??= natsConnect({
      servers: this.opts.url,
      user: creds.user,
      pass: creds.pass,
      name: 'ev-publisher',
      maxReconnectAttempts: 5,
      reconnectTimeWait: 500,
    });
    return this.nc;
  }

  /**
   * `msgId` goes out as the `Nats-Msg-Id` header: a JetStream stream on the subject drops a second
   * message with the same id within its duplicate window; core NATS delivers it again, so the
   * message should carry the same id in its payload for the app to de-duplicate.
   */
  async publish(userId: string, message: unknown, msgId?: string): Promise<void> {
    clearTimeout(this.idle);
    const pending = this.connection();
    try {
      const nc = await pending;
      const h = msgId ? (await import('@nats-io/nats-core')).headers() : undefined;
      h?.set('Nats-Msg-Id', msgId!);
      nc.publish(userTopic(this.opts.topicPrefix, userId), JSON.stringify(message), h ? { headers: h } : undefined);
      await nc.flush();
    } catch (err) {
      if (this.nc === pending) this.nc = undefined;
      throw err;
    } finally {
      this.idle = setTimeout(() => void this.close(), NatsPublisher.IDLE_MS);
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.idle);
    const nc = this.nc;
    this.nc = undefined;
    if (nc) await (await nc).close().catch(() => undefined);
  }
}
