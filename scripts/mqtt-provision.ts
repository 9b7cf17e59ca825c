import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../src/config';
import { initOrm } from '../src/db/orm';
import { mosquittoAcl } from '../src/kernel/devices/credentials';
import { mosquittoPasswordFile } from '../src/infra/mosquitto';

/**
 * `npm run mqtt:provision -- --out <dir>`: writes mosquitto's `passwd` (the backend's three
 * identities and one per station in DATABASE_URL, PBKDF2-hashed; the passwords themselves are
 * HMAC-SHA256(MQTT_AUTH_SECRET, username) and never stored) and `acl` (under MQTT_TOPIC_PREFIX).
 * Run it again after adding stations, then `kill -HUP` mosquitto to reload both files.
 */
async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'deploy/mosquitto/auth' } } });
  const config = loadConfigOrExit({ JWT_SECRET: 'unused-by-provisioning', TEMPORAL_ADDRESS: 'unused:0', MQTT_URL: 'mqtt://unused', ...process.env });
  const orm = await initOrm(config.DATABASE_URL);
  try {
    const rows: { sn: string }[] = await orm.em.getConnection().execute('select sn from stations order by sn');
    const devices = rows.map((r) => ({ kind: 'kiosk' as const, sn: r.sn }));
    fs.mkdirSync(values.out!, { recursive: true });
    fs.writeFileSync(path.join(values.out!, 'passwd'), mosquittoPasswordFile(config.MQTT_AUTH_SECRET, devices, config.MQTT_TOPIC_PREFIX), { mode: 0o640 });
    fs.writeFileSync(path.join(values.out!, 'acl'), mosquittoAcl(config.MQTT_TOPIC_PREFIX), { mode: 0o644 });
    process.stdout.write(`wrote ${values.out}/passwd (3 services, ${devices.length} kiosks) and ${values.out}/acl\n`);
  } finally {
    await orm.close();
  }
}

main().catch((err) => {
  process.stderr.write(`mqtt provisioning failed: ${err.message}\n`);
  process.exit(1);
});
