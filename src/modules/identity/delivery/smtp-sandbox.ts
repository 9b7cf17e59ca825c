import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SMTPServer } from 'smtp-server';

/**
 * A loopback SMTP server that accepts every message (any or no AUTH, no TLS) and keeps it in an
 * inbox. With `httpPort` it also serves the inbox: `GET /sandbox/emails?to=` and `DELETE /sandbox/emails`.
 */
export interface SandboxEmail {
  id: number;
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

export interface SmtpSandboxOptions {
  port?: number;
  host?: string;
  /** Serve the inbox over HTTP on this port (0 = any free port). */
  httpPort?: number;
  /** Recipients whose mail is refused with a permanent 550. */
  rejectRecipients?: string[];
}

export interface SmtpSandbox {
  port: number;
  /** For SMTP_URL, e.g. smtp://127.0.0.1:2525 */
  url: string;
  /** The HTTP inbox base URL when `httpPort` was given. */
  inboxUrl?: string;
  messages(to?: string): SandboxEmail[];
  stop(): Promise<void>;
}

/** An SMTP server that puts every accepted message in `inbox` and refuses the `rejected` recipients with a 550. */
async function acceptingSmtpServer(inbox: SandboxEmail[], rejected: Set<string>): Promise<SMTPServer> {
  let seq = 0;
  // smtp-server (and the nodemailer it carries) loads when a sandbox starts, not with every process that imports identity.
  const { SMTPServer } = await import('smtp-server');
  return new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _session, cb) => cb(null, { user: auth.username ?? 'sandbox' }),
    onRcptTo: (address, _session, cb) => {
      if (rejected.has(address.address.toLowerCase())) {
        const err = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
        return cb(err);
      }
      cb();
    },
    onData: (stream, session, cb) => {
      // mailparser loads only when a sandbox receives mail, not with every process that imports identity.
      import('mailparser')
        .then(({ simpleParser }) => simpleParser(stream))
        .then((mail) => {
          inbox.push({
            id: ++seq,
            from: mail.from?.text ?? String(session.envelope.mailFrom && session.envelope.mailFrom.address),
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            receivedAt: new Date().toISOString(),
          });
          cb();
        })
        .catch((err: Error) => cb(err));
    },
  });
}

/** The inbox over HTTP: `GET /sandbox/emails?to=` lists it (through `list`), `DELETE /sandbox/emails` empties it. */
async function startInboxHttp(inbox: SandboxEmail[], list: (to?: string) => SandboxEmail[], port: number, host: string): Promise<http.Server> {
  const web = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/sandbox/emails' && req.method === 'GET') return res.end(JSON.stringify({ messages: list(url.searchParams.get('to') ?? undefined) }));
    if (url.pathname === '/sandbox/emails' && req.method === 'DELETE') {
      inbox.length = 0;
      return res.end('{"ok":true}');
    }
    res.statusCode = 404;
    res.end('{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    web.once('error', reject);
    web.listen(port, host, () => resolve());
  });
  return web;
}

export async function startSmtpSandbox(opts: SmtpSandboxOptions = {}): Promise<SmtpSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const inbox: SandboxEmail[] = [];
  const rejected = new Set((opts.rejectRecipients ?? []).map((r) => r.toLowerCase()));

  const smtp = await acceptingSmtpServer(inbox, rejected);
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(opts.port ?? 0, host, () => resolve());
  });
  smtp.on('error', () => undefined);
  const port = (smtp.server.address() as AddressInfo).port;
  const list = (to?: string) => (to ? inbox.filter((m) => m.to.includes(to.toLowerCase())) : [...inbox]);

  let web: http.Server | undefined;
  let inboxUrl: string | undefined;
  if (opts.httpPort !== undefined) {
    web = await startInboxHttp(inbox, list, opts.httpPort, host);
    inboxUrl = `http://${host}:${(web.address() as AddressInfo).port}`;
  }

  return {
    port,
    url: `smtp://${host}:${port}`,
    inboxUrl,
    messages: list,
    stop: async () => {
      if (web)
        await new Promise<void>((resolve) => {
          web!.closeAllConnections();
          web!.close(() => resolve());
        });
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
