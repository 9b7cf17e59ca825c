import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from '../../src/infra/ports';
import { DEMO_ADMIN } from '../../src/db/seed';
import { eventually, totpNow } from '../support/stack';

const ROOT = path.resolve(__dirname, '..', '..');

/** A process as /proc shows it: parent, process group, and its start time (a pid can be reused). */
interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  start: string;
  state: string;
  cmd: string;
}
const procs = (): Proc[] =>
  fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
        const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').trim();
        return [{ pid: Number(d), state: f[0], ppid: Number(f[1]), pgid: Number(f[2]), start: f[19], cmd }];
      } catch {
        return [];
      } // gone meanwhile
    });
/** Every process below `root` (children, theirs, ...) and every other one in its process group. */
const treeOf = (root: number): Proc[] => {
  const all = procs();
  const found = new Map<number, Proc>();
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!found.has(p.pid) && p.pid !== root && (p.ppid === root || found.has(p.ppid) || p.pgid === root)) {
        found.set(p.pid, p);
        grew = true;
      }
    }
  }
  return [...found.values()];
};
/** Those of `before` still running (the same process, not a zombie). */
const survivors = (before: Proc[]) => {
  const now = new Map(procs().map((p) => [p.pid, p]));
  return before.filter((p) => {
    const q = now.get(p.pid);
    return q && q.start === p.start && q.state !== 'Z';
  });
};

/** `npm run dev` from nothing: a fresh data folder, free ports, every piece embedded. */
describe('the one-command dev stack', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stationflow-dev-'));
  let ports: Record<string, number>;
  let dev: ChildProcess | undefined;
  let output = '';

  const start = () => {
    output = '';
    dev = spawn('npm', ['run', 'dev'], {
      // the README's command, through npm as a person runs it
      cwd: ROOT,
      detached: true, // its own process group, so the test can Ctrl-C it like a terminal does
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: dataDir,
        DEMO_STATIONS: '3',
        SIM_HEARTBEAT_MS: '2000',
        PORT: String(ports.api),
        PG_PORT: String(ports.pg),
        TEMPORAL_PORT: String(ports.temporal),
        TEMPORAL_UI_PORT: String(ports.ui),
        MQTT_PORT: String(ports.mqtt),
        SMS_SANDBOX_PORT: String(ports.sms),
        SMTP_SANDBOX_PORT: String(ports.smtp),
        SMTP_INBOX_PORT: String(ports.inbox),
        KHALTI_SANDBOX_PORT: String(ports.khalti),
        ESEWA_SANDBOX_PORT: String(ports.esewa),
        STRIPE_SANDBOX_PORT: String(ports.stripe),
        MSG91_SANDBOX_PORT: String(ports.msg91),
        NBFC_SANDBOX_PORT: String(ports.nbfc),
        RAZORPAY_SANDBOX_PORT: String(ports.razorpay),
        DARAJA_SANDBOX_PORT: String(ports.daraja),
        PAYSTACK_SANDBOX_PORT: String(ports.paystack),
        AT_SANDBOX_PORT: String(ports.at),
        MN_SMS_SANDBOX_PORT: String(ports.mnSms),
        QPAY_SANDBOX_PORT: String(ports.qpay),
        NATS_PORT: String(ports.nats),
        NATS_WS_PORT: String(ports.natsWs),
        OCPP_PORT: String(ports.ocpp),
        JWT_SECRET: 'dev-stack-test-secret-123',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    dev.stdout!.on('data', (c) => {
      output += c;
    });
    dev.stderr!.on('data', (c) => {
      output += c;
    });
  };
  const health = async () => {
    const res = await fetch(`http://127.0.0.1:${ports.api}/api/app/health`).catch(() => undefined);
    return res?.status === 200 ? res.json() : undefined;
  };
  const api = async (method: string, p: string, body?: unknown, token?: string) => {
    const res = await fetch(`http://127.0.0.1:${ports.api}${p}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** The demo admin logs in as a person would: OTP by email, read from the SMTP sandbox's inbox. */
  const adminLogin = async () => {
    const sent = await api('POST', '/api/auth/get-otp', { identifier: DEMO_ADMIN.email });
    expect(sent.status).toBe(200);
    const code = await eventually(
      async () => {
        const inbox: any = await (await fetch(`http://127.0.0.1:${ports.inbox}/sandbox/emails?to=${DEMO_ADMIN.email}`)).json();
        return inbox.messages.at(-1)?.text.match(/\b(\d{6})\b/)?.[1] as string | undefined;
      },
      20_000,
      250,
    );
    const verified = await api('POST', '/api/auth/verify-otp', { challenge_id: sent.body.data.challenge_id, code });
    expect(verified.status).toBe(200);
    const login = await api('POST', '/api/auth/login', { verification_token: verified.body.data.verification_token });
    expect(login.status).toBe(200);
    // Admin paths need the second factor: the demo admin sets up TOTP as on a first sign-in.
    const token = login.body.data.access_token as string;
    const enrol = await api('POST', '/api/auth/2fa/enroll', undefined, token);
    expect(enrol.status).toBe(200);
    const confirmed = await api('POST', '/api/auth/2fa/enroll/confirm', { code: totpNow(enrol.body.data.secret) }, token);
    expect(confirmed.status).toBe(200);
    return token;
  };
  const ctrlC = async () => {
    const exited = new Promise<number | null>((resolve) => dev!.once('exit', (code) => resolve(code)));
    process.kill(-dev!.pid!, 'SIGINT');
    return exited;
  };

  beforeAll(async () => {
    // Every port the stack listens on, free and different (one at a time, the kernel may hand the same free port out twice),
    // so the test runs beside a developer's own `npm run dev`.
    const names = ['api', 'pg', 'temporal', 'ui', 'mqtt', 'sms', 'smtp', 'inbox', 'khalti', 'esewa', 'stripe'].concat([
      'msg91',
      'nbfc',
      'razorpay',
      'daraja',
      'paystack',
      'at',
      'mnSms',
      'qpay',
      'nats',
      'natsWs',
      'ocpp',
    ]);
    const free = await freePorts(names.length);
    ports = Object.fromEntries(names.map((name, i) => [name, free[i]]));
  });
  afterAll(async () => {
    if (dev && dev.exitCode === null) {
      try {
        process.kill(-dev.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const p of dev ? treeOf(dev.pid!) : []) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    } // what a failed test left
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when started on an empty folder, then health is 200 and a demo kiosk answers a remote command', async () => {
    start();
    const report: any = await eventually(health, 90_000, 500).catch((err) => {
      throw new Error(`${err.message}\n${output}`);
    });
    expect(report.data).toMatchObject({ database: 'connected', temporal: 'connected', mqtt: 'connected' });
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'temporal.sqlite'))).toBe(true);
    // The Temporal Web UI is up on its port.
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
    // The operations console is served, and `npm run dev` printed its address.
    expect((await fetch(`http://127.0.0.1:${ports.api}/console/`)).status).toBe(200);
    expect(output).toContain(`Operations console http://localhost:${ports.api}/console/`);
    expect(output).toMatch(/fleet demo loan \d+ on BAT002: first EMI due \d{4}-\d{2}-\d{2}, schedule emi:\d+ starts in 60 s/);
    // The demo kiosk is online and answers through broker → simulator → bridge → workflow.
    const token = await adminLogin();
    const res: any = await eventually(
      async () => {
        const r = await fetch(`http://127.0.0.1:${ports.api}/api/admin/stations/KTM0001/remote-command`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ command: 'reboot' }),
        });
        return r.status === 200 ? r.json() : undefined;
      },
      30_000,
      500,
    );
    expect(res.data.status).toBe('acked');
  }, 150_000);

  it('when Ctrl-C is pressed, then every child process is gone within 10 s and the ports are free', async () => {
    const before = treeOf(dev!.pid!);
    // The dev runner, PostgreSQL (and its backends), Temporal, worker, bridge, API and simulator at least.
    expect(before.length).toBeGreaterThanOrEqual(8);
    expect(before.some((p) => p.cmd.includes('src/sim/cli.ts'))).toBe(true);
    const pressed = Date.now();
    const exited = ctrlC();
    let left = survivors(before);
    while (left.length && Date.now() - pressed < 10_000) {
      await new Promise((r) => setTimeout(r, 200));
      left = survivors(before);
    }
    expect(left.map((p) => `${p.pid} ${p.cmd}`)).toEqual([]);
    expect(output).toMatch(/\[dev\] stopped/); // the runner ran its shutdown to the end (nobody killed it first)
    expect(await exited).toBe(0);
    expect(
      treeOf(dev!.pid!)
        .filter((p) => p.state !== 'Z')
        .map((p) => `${p.pid} ${p.cmd}`),
    ).toEqual([]); // nothing started late either
    for (const port of [ports.api, ports.pg, ports.temporal, ports.mqtt]) {
      await eventually(
        async () =>
          !(await fetch(`http://127.0.0.1:${port}/`).then(
            () => true,
            () => false,
          )),
        10_000,
      );
    }
  }, 30_000);

  it('when started again on the same folder, then the data is kept and health is 200', async () => {
    start();
    await eventually(health, 90_000, 500).catch((err) => {
      throw new Error(`${err.message}\n${output}`);
    });
    expect(output).toContain('database schema up to date');
    expect(await ctrlC()).toBe(0);
  }, 120_000);
});
