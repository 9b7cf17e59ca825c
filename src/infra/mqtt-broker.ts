import net from 'node:net';
import { freePort } from './ports';
import { brokerAuthHooks } from './broker-auth';

export interface BrokerHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * An in-process aedes MQTT broker (aedes 1.x is ESM-only; Node >= 20.19 can require() it). With
 * `authSecret` (MQTT_AUTH_SECRET) every client authenticates and is held to its ACL
 * (./broker-auth.ts); `onRefusal` hears each refused connect, publish or subscribe.
 */
export async function startMqttBroker(
  opts: { port?: number; host?: string; authSecret?: string; onRefusal?: (what: string) => void } = {},
): Promise<BrokerHandle> {
  // aedes is ESM-only; with `module: commonjs` TypeScript compiles import() to require() anyway, and Node >= 20.19 can require() ESM.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Aedes } = require('aedes');
  const broker = await Aedes.createBroker(opts.authSecret ? brokerAuthHooks(opts.authSecret, opts.onRefusal) : {});
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  const server = net.createServer(broker.handle);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as net.AddressInfo).port; // the real one when asked for port 0
  return {
    url: `mqtt://${host}:${bound}`,
    port: bound,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}
