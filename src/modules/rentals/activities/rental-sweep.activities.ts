import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../../config';
import type { Execute } from '../../../kernel/sql';
import { rentalStore } from '../services/rental-store';
import { recordRentalEvent } from '../services/timeline';
import { rentalWorkflowId } from '../workflows/definitions';

export interface RentalSweepActivityDeps {
  orm: MikroORM;
  config: Pick<Config, 'RENTAL_START_GRACE_SECONDS'>;
}

/**
 * The rental sweeper's activity: rentals left `starting` past the grace period. Their row was
 * written but the API never got to start the workflow (it crashed, or Temporal refused and the
 * answer was lost): with no workflow the rental never began and fails `NOT_STARTED`, freeing the
 * rider and the power bank; a workflow that closed without moving the row parks it for admins.
 */
export function createRentalSweepActivities({ orm, config }: RentalSweepActivityDeps) {
  const run: Execute = (sql, params = []) => orm.em.getConnection().execute(sql, params, 'run');
  return {
    async sweepStartingRentals(): Promise<{ scanned: number; notStarted: number; parked: number }> {
      const rows = await orm.em
        .getConnection()
        .execute<{ id: string }[]>(
          `select id from rentals where status = 'starting' and created_at < now() - make_interval(secs => ?) order by created_at limit 100`,
          [config.RENTAL_START_GRACE_SECONDS],
        );
      const { client } = Context.current();
      let notStarted = 0;
      let parked = 0;
      for (const { id } of rows) {
        try {
          const { status } = await client.workflow.getHandle(rentalWorkflowId(id)).describe();
          if (status.name === 'RUNNING') continue;
          await rentalStore.needsAttention(run, id, {
            reason: `its workflow is ${status.name.toLowerCase()} while the rental is starting`,
            step: 'start',
            at: Date.now(),
          });
          parked++;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          await rentalStore.notStarted(run, id, 'its workflow was never started');
          await recordRentalEvent(run, { rentalId: id, type: 'failed', key: 'failed', at: Date.now(), data: { code: 'NOT_STARTED', by: 'rental sweeper' } });
          notStarted++;
        }
      }
      return { scanned: rows.length, notStarted, parked };
    },
  };
}

export type RentalSweepActivities = ReturnType<typeof createRentalSweepActivities>;
