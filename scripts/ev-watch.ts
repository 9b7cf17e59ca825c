/**
 * Watches an EV user's NATS topic the way the app does (NATS over WebSocket, the credentials of
 * /user/otp-check):  npx tsx scripts/ev-watch.ts <otp-check answer as a file, or its nats JSON>
 * Prints each message until Ctrl-C.
 */
import fs from 'node:fs';
import { wsconnect } from '@nats-io/nats-core';
import { appWebSocket } from '../src/infra/nats-websocket';

async function main() {
  const arg = process.argv[2] ?? '';
  const given = JSON.parse(fs.existsSync(arg) ? fs.readFileSync(arg, 'utf8') : arg) as { nats?: object };
  const nats = (given.nats ?? given) as { servers: string; topic: string; user: string; pass: string };
  const nc = await wsconnect({ servers: nats.servers, user: nats.user, pass: nats.pass, wsFactory: appWebSocket });
  process.stdout.write(`listening on ${nats.topic} (${nats.servers})\n`);
  for await (const m of nc.subscribe(nats.topic)) process.stdout.write(`${m.string()}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
