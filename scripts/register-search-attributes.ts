import { Connection } from '@temporalio/client';
import { registerSearchAttributes } from '../src/infra/search-attributes';

/** Registers the custom search attributes on an external Temporal cluster (idempotent). */
async function main() {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  await registerSearchAttributes(connection, process.env.TEMPORAL_NAMESPACE ?? 'default');
  await connection.close();
  process.stdout.write('search attributes registered\n');
}

main().catch((err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
