import fs from 'node:fs';
import net from 'node:net';

/**
 * The lowest port the kernel uses for outgoing connections and bind(0). Ports we pick for
 * services come from below it: an ephemeral port picked now could be taken by some outgoing
 * connection's local end before the service binds it.
 */
function ephemeralLow(): number {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 12_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const canBind = (port: number, host: string) =>
  new Promise<net.Server | undefined>((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, host, () => resolve(srv));
  });

/**
 * `count` different ports nobody listens on now, picked at random below the ephemeral range and
 * held open together until all are found (so one call never returns the same port twice).
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const low = 10_000;
  const high = ephemeralLow() - 1;
  const held: net.Server[] = [];
  try {
    for (let tries = 0; held.length < count; tries++) {
      if (tries > count * 200) throw new Error(`no ${count} free ports between ${low} and ${high} on ${host}`);
      const srv = await canBind(low + Math.floor(Math.random() * (high - low)), host);
      if (srv) held.push(srv);
    }
    return held.map((srv) => (srv.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(held.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))));
  }
}

/** A port nobody listens on right now (see freePorts). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return (await freePorts(1, host))[0];
}

/** Resolves once something accepts TCP connections on host:port, or rejects after timeoutMs. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect({ port, host });
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
