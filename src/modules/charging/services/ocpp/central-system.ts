import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { RPCServer } from 'ocpp-rpc';
import { logger } from '../../../../kernel/logger';
import { verifyChargerPassword } from '../charger-credentials';
import { ChargerEvents } from './charger-events';

interface ServerClient {
  identity: string;
  handle(method: string, handler: (call: { params: any }) => unknown): void;
  close(opts: { force: boolean }): Promise<unknown>;
  call(method: string, params: object, options?: { callTimeoutMs?: number }): Promise<unknown>;
  on(event: 'close', cb: () => void): void;
}

/** Central system → charger calls the workers may ask for (the admin's too). */
const COMMANDS = new Set(['RemoteStartTransaction', 'RemoteStopTransaction', 'ChangeAvailability', 'Reset']);
const HEARTBEAT_SECONDS = 60;

/** Wh of the `Energy.Active.Import.Register` sample (the default measurand), kWh converted. */
function energyWh(meterValue: { sampledValue: { value: string; measurand?: string; unit?: string }[] }[]): number | undefined {
  for (const mv of [...meterValue].reverse()) {
    const s = mv.sampledValue.find((v) => (v.measurand ?? 'Energy.Active.Import.Register') === 'Energy.Active.Import.Register');
    if (s) return Math.round(Number(s.value) * (s.unit === 'kWh' ? 1000 : 1));
  }
  return undefined;
}

/**
 * The OCPP 1.6-J central system, its own process: chargers connect to `ws://host:port/ocpp/<deviceNumber>`
 * with HTTP Basic auth (security profile 1, the charger's own password), every message is validated
 * against the OCPP 1.6 JSON schemas (strict mode), and the messages of a session become signals to
 * its workflow. Workers and the admin API send calls through `POST /commands/<deviceNumber>/<action>[?timeoutMs=]`
 * on the same port: 200 the charger's answer, 404 not connected, 504 no answer in time, 502 a CALLERROR.
 */
export class OcppCentralSystem {
  /** Made by listen(): ocpp-rpc (its OCPP schemas compiled by ajv) loads only in a process that serves chargers, not in every importer of the charging module. */
  private rpc?: RPCServer;
  private readonly clients = new Map<string, ServerClient>();
  private readonly events: ChargerEvents;
  private server?: http.Server;

  constructor(private readonly deps: { orm: MikroORM; temporal: Client; commandToken: string }) {
    this.events = new ChargerEvents(deps);
  }

  private async rpcServer(): Promise<RPCServer> {
    const { RPCServer } = await import('ocpp-rpc');
    const rpc = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true, callTimeoutMs: 15_000, pingIntervalMs: 20_000 });
    rpc.auth((accept, reject, handshake) => {
      this.events
        .charger(handshake.identity)
        .then((c) => (c && verifyChargerPassword(handshake.password, c.password_hash) ? accept({ chargerId: c.id }) : reject(401, 'Unauthorized')))
        .catch(() => reject(500, 'Unavailable'));
    });
    rpc.on('client', (client: unknown) => this.attach(client as ServerClient));
    return rpc;
  }

  private attach(client: ServerClient): void {
    const id = client.identity;
    const previous = this.clients.get(id);
    this.clients.set(id, client);
    if (previous) void previous.close({ force: true });
    const ev = this.events;
    const now = () => new Date().toISOString();
    void ev.connection(id, true);
    client.handle('BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: HEARTBEAT_SECONDS }));
    client.handle('Heartbeat', () => ({ currentTime: now() }));
    client.handle('StatusNotification', async ({ params }) => (await ev.status(id, params.connectorId, params.status), {}));
    client.handle('Authorize', async ({ params }) => ({ idTagInfo: { status: (await ev.authorize(id, params.idTag)) ? 'Accepted' : 'Invalid' } }));
    client.handle('StartTransaction', async ({ params }) => {
      const r = await ev.startTransaction(id, params.idTag, params.meterStart);
      return { transactionId: r.transactionId, idTagInfo: { status: r.accepted ? 'Accepted' : 'Invalid' } };
    });
    client.handle('MeterValues', async ({ params }) => {
      const wh = energyWh(params.meterValue);
      if (wh !== undefined) await ev.meter(id, params.transactionId, wh);
      return {};
    });
    client.handle('StopTransaction', async ({ params }) => (await ev.stopTransaction(id, params.transactionId, params.meterStop, params.reason), {}));
    client.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
    client.on('close', () => {
      if (this.clients.get(id) !== client) return;
      this.clients.delete(id);
      void ev.connection(id, false);
    });
  }

  private async command(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const reply = (status: number, body: object): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://ocpp');
    const m = /^\/commands\/([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) return reply(404, { error: 'not found' });
    if (req.headers.authorization !== `Bearer ${this.deps.commandToken}`) return reply(401, { error: 'unauthorized' });
    const [identity, action] = [decodeURIComponent(m[1]), m[2]];
    if (!COMMANDS.has(action)) return reply(400, { error: `unknown command ${action}` });
    const client = this.clients.get(identity);
    if (!client) return reply(404, { error: 'charger not connected' });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const timeoutMs = Number(url.searchParams.get('timeoutMs')) || undefined;
    try {
      reply(200, (await client.call(action, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'), { callTimeoutMs: timeoutMs })) as object);
    } catch (err) {
      const { TimeoutError } = await import('ocpp-rpc');
      reply(err instanceof TimeoutError ? 504 : 502, { error: (err as Error).message });
    }
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    const rpc = (this.rpc ??= await this.rpcServer());
    this.server = http.createServer((req, res) => void this.command(req, res).catch((err) => logger.error({ err }, 'ocpp command failed')));
    this.server.on('upgrade', (req, socket, head) => void rpc.handleUpgrade(req, socket as Socket, head));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Drops a charger's connection (tests: a charger that vanishes). */
  connectedChargers(): string[] {
    return [...this.clients.keys()];
  }

  async close(): Promise<void> {
    await this.rpc?.close({ force: true });
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
