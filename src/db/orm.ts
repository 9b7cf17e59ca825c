import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { entities } from './entities';

/**
 * MikroORM options for a database URL. Schema changes go through committed migrations only; the
 * migrator and the migrations load in `migrateUp` alone, so a process that only reads and writes
 * rows (every API, worker and bridge, and every test file) does not load them.
 */
export function ormOptions(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return {
    clientUrl: databaseUrl,
    entities,
    discovery: { warnWhenNoEntities: true },
    pool: { min: 0, max: 10 },
    debug: false,
    ...overrides,
  };
}

export async function initOrm(databaseUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(databaseUrl, overrides));
}

/** Applies every pending migration; returns the names applied. */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const [{ Migrator }, { migrationsList }] = await Promise.all([import('@mikro-orm/migrations'), import('./migrations')]);
  orm.config.set('migrations', {
    ...orm.config.get('migrations'),
    migrationsList,
    transactional: true,
    allOrNothing: true,
    snapshot: false,
    path: 'src/db/migrations',
    pathTs: 'src/db/migrations',
  });
  const applied = await new Migrator(orm.em).up();
  return applied.map((m) => m.name);
}
