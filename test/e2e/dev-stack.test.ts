import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from '../../src/infra/ports';
import { DEMO_ADMIN } from '../../src/db/seed';
import { eventually } from '../support/stack';

const ROOT = path.resolve(__dirname, '..', '..');

/** `npm run dev` from nothing: a fresh data folder, free ports, every piece embedded. */
describe('the one-command dev stack', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stationflow-dev-'));
  let ports: Record<string, number>;
  let dev: ChildProcess | undefined;
  let output = '';

  const start = () => {
    output = '';
    dev = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'dev.ts')], {
      cwd: ROOT,
      detached: true, // its own process group, so the test can Ctrl-C it like a terminal does
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, DEMO_STATIONS: '3', SIM_HEARTBEAT_MS: '2000',
        PORT: String(ports.api), PG_PORT: String(ports.pg), TEMPORAL_PORT: String(ports.temporal),
        TEMPORAL_UI_PORT: String(ports.ui), MQTT_PORT: String(ports.mqtt),
        SMS_SANDBOX_PORT: String(ports.sms), SMTP_SANDBOX_PORT: String(ports.smtp), SMTP_INBOX_PORT: String(ports.inbox),
        KHALTI_SANDBOX_PORT: String(ports.khalti), ESEWA_SANDBOX_PORT: String(ports.esewa), STRIPE_SANDBOX_PORT: String(ports.stripe), JWT_SECRET: 'dev-stack-test-secret-123', LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    dev.stdout!.on('data', (c) => { output += c; });
    dev.stderr!.on('data', (c) => { output += c; });
  };
  const health = async () => {
    const res = await fetch(`http://127.0.0.1:${ports.api}/api/app/health`).catch(() => undefined);
    return res?.status === 200 ? res.json() : undefined;
  };
  const api = async (method: string, p: string, body?: unknown, token?: string) => {
    const res = await fetch(`http://127.0.0.1:${ports.api}${p}`, {
      method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** The demo admin logs in as a person would: OTP by email, read from the SMTP sandbox's inbox. */
  const adminLogin = async () => {
    const sent = await api('POST', '/api/auth/get-otp', { identifier: DEMO_ADMIN.email });
    expect(sent.status).toBe(200);
    const code = await eventually(async () => {
      const inbox: any = await (await fetch(`http://127.0.0.1:${ports.inbox}/sandbox/emails?to=${DEMO_ADMIN.email}`)).json();
      return inbox.messages.at(-1)?.text.match(/\b(\d{6})\b/)?.[1] as string | undefined;
    }, 20_000, 250);
    const verified = await api('POST', '/api/auth/verify-otp', { challenge_id: sent.body.data.challenge_id, code });
    expect(verified.status).toBe(200);
    const login = await api('POST', '/api/auth/login', { verification_token: verified.body.data.verification_token });
    expect(login.status).toBe(200);
    return login.body.data.access_token as string;
  };
  const ctrlC = async () => {
    const exited = new Promise<number | null>((resolve) => dev!.once('exit', (code) => resolve(code)));
    process.kill(-dev!.pid!, 'SIGINT');
    return exited;
  };

  beforeAll(async () => {
    // Eleven different ports (one at a time, the kernel may hand the same free port out twice).
    const names = ['api', 'pg', 'temporal', 'ui', 'mqtt', 'sms', 'smtp', 'inbox', 'khalti', 'esewa', 'stripe'];
    const free = await freePorts(names.length);
    ports = Object.fromEntries(names.map((name, i) => [name, free[i]]));
  });
  afterAll(async () => {
    if (dev && dev.exitCode === null) { try { process.kill(-dev.pid!, 'SIGKILL'); } catch { /* gone */ } }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when started on an empty folder, then health is 200 and a demo kiosk answers a remote command', async () => {
    start();
    const report: any = await eventually(health, 90_000, 500).catch((err) => { throw new Error(`${err.message}\n${output}`); });
    expect(report.data).toMatchObject({ database: 'connected', temporal: 'connected', mqtt: 'connected' });
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'temporal.sqlite'))).toBe(true);
    // The Temporal Web UI is up on its port.
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
    // The demo kiosk is online and answers through broker → simulator → bridge → workflow.
    const token = await adminLogin();
    const res: any = await eventually(async () => {
      const r = await fetch(`http://127.0.0.1:${ports.api}/api/admin/stations/KTM0001/remote-command`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ command: 'reboot' }),
      });
      return r.status === 200 ? r.json() : undefined;
    }, 30_000, 500);
    expect(res.data.status).toBe('acked');
  }, 150_000);

  it('when Ctrl-C is pressed, then every child stops and the ports are free', async () => {
    const code = await ctrlC();
    expect(code).toBe(0);
    for (const port of [ports.api, ports.pg, ports.temporal, ports.mqtt]) {
      await eventually(async () => !(await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false)), 10_000);
    }
  }, 30_000);

  it('when started again on the same folder, then the data is kept and health is 200', async () => {
    start();
    await eventually(health, 90_000, 500).catch((err) => { throw new Error(`${err.message}\n${output}`); });
    expect(output).toContain('database schema up to date');
    expect(await ctrlC()).toBe(0);
  }, 120_000);
});
