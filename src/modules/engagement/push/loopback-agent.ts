import https from 'node:https';
import net from 'node:net';

/**
 * An https.Agent that sends every request, whatever its host, in clear text to one local address.
 * Only for pointing firebase-admin (which hard-codes fcm.googleapis.com and the Google token
 * endpoint) at the local FCM sandbox; never configure it in production.
 */
export function loopbackAgent(sandboxUrl: string): https.Agent {
  const { hostname, port } = new URL(sandboxUrl);
  const agent = new https.Agent({ keepAlive: false });
  (agent as unknown as { createConnection: () => net.Socket }).createConnection = () => net.connect(Number(port), hostname);
  return agent;
}
