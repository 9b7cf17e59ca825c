import {
  devicePublishAllowed,
  deviceSubscribeAllowed,
  parseDeviceUsername,
  passwordMatches,
  serviceClientIdAllowed,
  servicePublishAllowed,
  serviceRoleOf,
  serviceSubscribeAllowed,
} from '../kernel/devices/credentials';

interface AuthClient {
  id: string;
  /** The CONNECT's last will (aedes sets it before authenticate). */
  _will?: { topic: string };
  /** Set by authenticate: who this connection is. */
  stationflowUser?: string;
}
type Done = (err: Error | null, ok?: boolean) => void;

/** A refused CONNECT: `returnCode` 4 (bad user name or password) or 5 (not authorised). */
const refused = (message: string, returnCode: 4 | 5) => Object.assign(new Error(message), { returnCode });

/** May this user publish to / subscribe to this topic (the ACL of src/kernel/devices/credentials.ts)? */
function mayPublish(user: string | undefined, topic: string): boolean {
  if (!user) return false;
  const role = serviceRoleOf(user);
  return role ? servicePublishAllowed(role, topic) : devicePublishAllowed(user, topic);
}
function maySubscribe(user: string | undefined, filter: string): boolean {
  if (!user) return false;
  const role = serviceRoleOf(user);
  return role ? serviceSubscribeAllowed(role, filter) : deviceSubscribeAllowed(user, filter);
}

/**
 * aedes hooks that make the dev broker behave like the mosquitto of docker-compose.yml: every
 * client authenticates (a device with its derived password and its username as client id, so no
 * device can take the bridge's session or another device's), publishes only where its ACL allows
 * (a refused publish closes the connection, as aedes does) and subscribes only where it may (a
 * refused subscription is granted 0x80, the connection stays).
 */
export function brokerAuthHooks(secret: string, onRefusal?: (what: string) => void) {
  const refuse = (what: string) => onRefusal?.(what);
  return {
    authenticate(client: AuthClient, username: string | undefined, password: Buffer | undefined, done: Done) {
      if (!username || !passwordMatches(secret, username, password)) {
        refuse(`connect ${client.id} as ${username ?? '(anonymous)'}: bad credentials`);
        return done(refused('bad user name or password', 4), false);
      }
      const role = serviceRoleOf(username);
      const idOk = role ? serviceClientIdAllowed(username, client.id) : parseDeviceUsername(username) !== undefined && client.id === username;
      if (!idOk) {
        refuse(`connect ${client.id} as ${username}: client id not bound to this identity`);
        return done(refused('client id not allowed for this user', 5), false);
      }
      if (client._will && !mayPublish(username, client._will.topic)) {
        refuse(`connect ${client.id}: last will on ${client._will.topic} not allowed`);
        return done(refused('last will topic not allowed', 5), false);
      }
      client.stationflowUser = username;
      done(null, true);
    },
    authorizePublish(client: AuthClient | null, packet: { topic: string }, done: (err: Error | null) => void) {
      // client null: aedes publishing an old session's last will, checked when that client connected.
      if (client === null) return done(null);
      if (mayPublish(client.stationflowUser, packet.topic)) return done(null);
      refuse(`publish ${packet.topic} by ${client.stationflowUser}`);
      done(new Error(`not authorised to publish to ${packet.topic}`));
    },
    authorizeSubscribe(client: AuthClient, sub: { topic: string; qos: number }, done: (err: Error | null, sub?: unknown) => void) {
      if (maySubscribe(client.stationflowUser, sub.topic)) return done(null, sub);
      refuse(`subscribe ${sub.topic} by ${client.stationflowUser}`);
      done(null, null);
    },
  };
}
