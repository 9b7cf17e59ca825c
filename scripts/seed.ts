import 'reflect-metadata';
import { initOrm } from '../src/db/orm';
import { seedDemoData } from '../src/db/seed';

/** `npm run seed`: loads the demo data into DATABASE_URL (idempotent). */
async function main() {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const orm = await initOrm(process.env.DATABASE_URL);
  try {
    await seedDemoData(orm, Number(process.env.DEMO_STATIONS ?? 12));
    process.stdout.write('demo data loaded\n');
  } finally {
    await orm.close();
  }
}

main().catch((err) => {
  process.stderr.write(`seed failed: ${err.message}\n`);
  process.exit(1);
});
