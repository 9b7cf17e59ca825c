import 'reflect-metadata';
import { loadConfigOrExit } from '../src/config';
import { initOrm, migrateUp } from '../src/db/orm';

/** `npm run migrate`: applies the committed migrations to DATABASE_URL. */
async function main() {
  const config = loadConfigOrExit({ JWT_SECRET: 'unused-by-migrations', TEMPORAL_ADDRESS: 'unused:0', MQTT_URL: 'mqtt://unused', ...process.env });
  const orm = await initOrm(config.DATABASE_URL);
  try {
    const applied = await migrateUp(orm);
    process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await orm.close();
  }
}

main().catch((err) => {
  process.stderr.write(`migration failed: ${err.message}\n`);
  process.exit(1);
});
