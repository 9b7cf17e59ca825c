import { spawn, type ChildProcess } from 'node:child_process';
import { Supervisor } from '../../src/infra/supervisor';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { startMosquitto, type MosquittoHandle } from '../../src/infra/mosquitto';
import { topic } from '../../src/kernel/devices/protocol';
import { KioskSimulator } from '../../src/sim/kiosk-simulator';
import { startMsg91Sandbox } from '../../src/modules/identity/delivery/sandboxes';
import { startClamdSandbox } from '../../src/modules/engagement';
/** Issue 15: the supervisor of `npm run dev` restarts a crashed child with back-off and stops all on Ctrl-C or when infrastructure dies. */
const node = (code: string): ChildProcess => spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
const alive = (c?: ChildProcess) => !!c && c.exitCode === null && c.signalCode === null;
const until = async (what: () => boolean, timeoutMs = 5_000) => {
  const end = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the dev supervisor', () => {
  const lines: string[] = [];
  let sup: Supervisor;
  beforeEach(() => {
    lines.length = 0;
    sup = new Supervisor({ log: (l) => lines.push(l), backoff: { initialMs: 50, maxMs: 200 }, stopDeadlineMs: 500 });
  });
  afterEach(() => sup.stopAll());

  it('when a child keeps crashing, then it is restarted each time after a doubling back-off, and each restart is logged', async () => {
    const starts: number[] = [];
    await sup.add({ name: 'flaky', start: () => (starts.push(Date.now()), node('process.exit(3)')) });
    await until(() => starts.length >= 5);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    // 50, 100, 200, 200 ms of back-off (plus start-up and the exit grace)
    expect(gaps[0]).toBeGreaterThanOrEqual(50);
    expect(gaps[1]).toBeGreaterThanOrEqual(100);
    expect(gaps[2]).toBeGreaterThanOrEqual(200);
    expect(gaps[3]).toBeGreaterThanOrEqual(200);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^flaky exited \(code 3\) after .* restarting in 50 ms \(restart 1\)$/)]));
    expect(lines.some((l) => /restarting in 200 ms \(restart 4\)/.test(l))).toBe(true);
  });

  it('when a child is killed with SIGKILL, then a new process takes its place and the others keep running', async () => {
    await sup.add({ name: 'worker', start: () => node('setInterval(() => {}, 1000)') });
    const api = await sup.add({ name: 'api', start: () => node('setInterval(() => {}, 1000)') });
    const first = sup.process('worker')!;
    first.kill('SIGKILL');
    await until(() => alive(sup.process('worker')) && sup.process('worker') !== first);
    expect(sup.restarts('worker')).toBe(1);
    expect(sup.process('api')).toBe(api);
    expect(lines.some((l) => /^worker exited \(signal SIGKILL\)/.test(l))).toBe(true);
    expect(lines.some((l) => /^worker restarted \(pid \d+\)$/.test(l))).toBe(true);
  });

  it('when a service whose start takes a while is restarted on purpose, then exactly one new process runs and no crash is logged', async () => {
    const started: ChildProcess[] = [];
    // A start that resolves only after the old process's exit was judged (as PostgreSQL's does).
    const start = async () => {
      await new Promise((r) => setTimeout(r, 300));
      const c = node('setInterval(() => {}, 1000)');
      started.push(c);
      return c;
    };
    await sup.add({ name: 'db', start });
    const fresh = await sup.restart('db');
    await new Promise((r) => setTimeout(r, 700)); // past the exit grace, the back-off and a second start
    expect(started.length).toBe(2);
    expect(sup.process('db')).toBe(fresh);
    expect(sup.restarts('db')).toBe(0);
    expect(lines.filter((l) => l.startsWith('db exited'))).toEqual([]);
  });

  it('when infrastructure dies, then everything is stopped with a clear message and nothing is restarted', async () => {
    let fatal = '';
    sup = new Supervisor({ log: (l) => lines.push(l), backoff: { initialMs: 100 }, onFatal: (name) => (fatal = name) });
    const pg = await sup.add({ name: 'postgres', critical: true, start: () => node('setInterval(() => {}, 1000)') });
    const api = await sup.add({ name: 'api', start: () => node('setInterval(() => {}, 1000)') });
    pg.kill('SIGKILL');
    await until(() => fatal === 'postgres' && !alive(api));
    expect(lines).toContain('postgres exited (signal SIGKILL): infrastructure is gone, stopping everything');
    await new Promise((r) => setTimeout(r, 300));
    expect(sup.process('api')).toBeUndefined();
    expect(sup.restarts('api')).toBe(0);
  });

  it('when everything is stopped (Ctrl-C), then every child is gone, one that ignores SIGTERM killed at the deadline', async () => {
    const polite = await sup.add({ name: 'polite', start: () => node('setInterval(() => {}, 1000)') });
    const stubborn = await sup.add({
      name: 'stubborn',
      start: () => spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"]),
    });
    await new Promise((r) => stubborn.stdout!.once('data', r)); // its SIGTERM handler is in place
    const started = Date.now();
    await sup.stopAll();
    expect(alive(polite) || alive(stubborn)).toBe(false);
    expect(stubborn.signalCode).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(sup.restarts('polite') + sup.restarts('stubborn')).toBe(0);
  });
});

/** Issue 15: the simulator keeps each kiosk's bays across its own restarts, and a bad control message is answered, not fatal. */
describe('the kiosk simulator', () => {
  let broker: MosquittoHandle;
  let client: MqttClient;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-state-'));
  const sims: KioskSimulator[] = [];
  const slots = [
    { index: 1, powerBankSn: 'PB-A', batteryLevel: 80 },
    { index: 2, powerBankSn: 'PB-B', batteryLevel: 70 },
    { index: 3, powerBankSn: null, batteryLevel: null },
  ];
  const kiosk = async (sn: string, stateDir?: string) => {
    const sim = new KioskSimulator({ brokerUrl: broker.url, sn, slots, stateDir, ejectDelayMs: 10, heartbeatMs: 0 });
    sims.push(sim);
    await sim.start();
    return sim;
  };
  /** Publishes on `to` and resolves with the first message on `replyTopic` that `match` accepts. */
  const ask = async (to: string, body: object, replyTopic: string, match: (m: Record<string, unknown>) => boolean = () => true) => {
    await client.subscribeAsync(replyTopic, { qos: 1 });
    const reply = new Promise<Record<string, unknown>>((resolve) => {
      const on = (t: string, p: Buffer) => {
        const m = JSON.parse(p.toString());
        if (t === replyTopic && match(m)) {
          client.off('message', on);
          resolve(m);
        }
      };
      client.on('message', on);
    });
    await client.publishAsync(to, JSON.stringify(body), { qos: 1 });
    return reply;
  };
  const eject = (sn: string, slot: number) =>
    ask(topic('kiosk', sn, 'cmd'), { id: `cmd-${sn}-${slot}`, type: 'eject', slot }, topic('kiosk', sn, 'ack'), (m) => m.id === `cmd-${sn}-${slot}`);

  beforeAll(async () => {
    broker = await startMosquitto(); // anonymous: the simulator reads its control topic
    client = await mqtt.connectAsync(broker.url, { clientId: `kiosk-sim-test-${process.pid}` });
  });
  afterAll(async () => {
    await Promise.allSettled(sims.map((s) => s.stop()));
    await client.endAsync();
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when a kiosk with a state folder restarts, then the bays it ejected stay empty and a return stays in its bay', async () => {
    const first = await kiosk('STATE01', dir);
    expect(await eject('STATE01', 1)).toMatchObject({ ok: true, powerBankSn: 'PB-A' });
    await first.returnPowerBank('PB-X', 3);
    await first.stop();

    const again = await kiosk('STATE01', dir);
    expect(again.bay(1)).toMatchObject({ powerBankSn: null, status: 'empty' });
    expect(again.bay(2)).toMatchObject({ powerBankSn: 'PB-B' });
    expect(again.bay(3)).toMatchObject({ powerBankSn: 'PB-X', status: 'occupied' });
    // Without a state folder a kiosk starts from its configured bays, as before.
    const fresh = await kiosk('STATE02');
    expect(fresh.bay(1)).toMatchObject({ powerBankSn: 'PB-A' });
  });

  it('when a control message returns to a full station or names an unknown slot, then an error is answered and the kiosk keeps working', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await kiosk('FULL01');
      const control = 'sim/FULL01/control';
      const reply = `${control}/reply`;
      expect(await ask(control, { id: 'r1', action: 'return', powerBankSn: 'PB-Y', slot: 9 }, reply, (m) => m.id === 'r1')).toMatchObject({
        ok: false,
        error: 'UNKNOWN_SLOT',
      });
      expect(await ask(control, { id: 'r2', action: 'return', powerBankSn: 'PB-Y', slot: 1 }, reply, (m) => m.id === 'r2')).toMatchObject({
        ok: false,
        error: 'SLOT_OCCUPIED',
      });
      expect(await ask(control, { id: 'r3', action: 'return', powerBankSn: 'PB-Y' }, reply, (m) => m.id === 'r3')).toEqual({ id: 'r3', ok: true, slot: 3 });
      expect(await ask(control, { id: 'r4', action: 'return', powerBankSn: 'PB-Z' }, reply, (m) => m.id === 'r4')).toMatchObject({
        ok: false,
        error: 'NO_EMPTY_SLOT',
      });
      expect(await ask(control, { id: 'r5', mode: 'sideways' }, reply, (m) => m.id === 'r5')).toMatchObject({ ok: false, error: 'UNKNOWN_MODE' });
      // Still alive: it answers a command.
      expect(await eject('FULL01', 2)).toMatchObject({ ok: true, powerBankSn: 'PB-B' });
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

/** The node:http and TCP sandboxes of `npm run dev` listen through one helper (src/kernel/http/sandbox-server.ts). */
describe('the sandboxes', () => {
  it('when a sandbox is started on a port already taken, then it rejects with a message naming it and the port instead of crashing the process', async () => {
    const sms = await startMsg91Sandbox();
    try {
      await expect(startMsg91Sandbox({ port: sms.port })).rejects.toThrow(`MSG91 sandbox cannot listen on 127.0.0.1:${sms.port}: the port is taken`);
      await expect(startClamdSandbox({ port: sms.port })).rejects.toMatchObject({
        code: 'EADDRINUSE',
        message: expect.stringContaining(`clamd sandbox cannot listen on 127.0.0.1:${sms.port}`),
      });
      // The first one still answers.
      const res = await fetch(`${sms.url}/sandbox/messages`);
      expect(res.status).toBe(200);
    } finally {
      await sms.stop();
    }
  });
});
