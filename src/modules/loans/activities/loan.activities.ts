import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../../config';
import { executor } from '../../../kernel/sql';
import type { Messaging } from '../../identity';
import { createApplicationActivities } from './application.activities';
import { createEmiActivities } from './emi.activities';
import { createTicketActivities } from './ticket.activities';

export interface LoanActivityDeps {
  orm: MikroORM;
  config: Config;
  messaging: Messaging;
}

/** The loans module's activities: battery status, loan applications and their NBFC, EMI schedules. */
export function createLoanActivities(deps: LoanActivityDeps) {
  const exec = executor(deps.orm);
  return {
    /** The battery's row after its ack (`status`), or the command still waiting for it (`pending`). */
    async recordBatteryStatus(input: { serial: string; status: string | null; pending: string | null }): Promise<{ online: boolean }> {
      const [row] = input.status
        ? await exec(`update fleet_batteries set status = ?, pending_action = null, updated_at = now() where serial_number = ? returning online`, [
            input.status,
            input.serial,
          ])
        : await exec(`update fleet_batteries set pending_action = ?, updated_at = now() where serial_number = ? returning online`, [
            input.pending,
            input.serial,
          ]);
      return { online: Boolean(row?.online) };
    },
    ...createApplicationActivities(deps),
    ...createEmiActivities(deps),
    ...createTicketActivities(deps),
  };
}

export type LoanActivities = ReturnType<typeof createLoanActivities>;
