import { executor } from '../../../kernel/sql';
import { assignBest } from '../services/ticket-assign';
import type { LoanActivityDeps } from './loan.activities';

/** Service tickets: automatic assignment (and the technician told), SLA escalations to the admins. */
export function createTicketActivities(deps: LoanActivityDeps) {
  const exec = executor(deps.orm);
  return {
    async autoAssignTicket(input: { ticketId: number }): Promise<{ technicianId: string | null }> {
      const chosen = await assignBest(exec, input.ticketId);
      if (!chosen) return { technicianId: null };
      const [tech] = await exec(`select phone from fleet_members where id = ?`, [chosen.technician_id]);
      await deps.messaging.sms.send({ to: tech.phone, text: `Service ticket ${input.ticketId} is assigned to you.` });
      return { technicianId: chosen.technician_id };
    },

    async escalateTicket(input: { ticketId: number; stage: 'unassigned' | 'unresolved'; escalations: number }): Promise<void> {
      await exec(`update fleet_service_tickets set escalations = greatest(escalations, ?) where id = ?`, [input.escalations, input.ticketId]);
      const admins = await exec(`select phone from fleet_members where user_type = 'admin'`);
      for (const a of admins)
        await deps.messaging.sms.send({
          to: a.phone,
          text: `Service ticket ${input.ticketId} is ${input.stage} past its SLA (escalation ${input.escalations}).`,
        });
    },
  };
}
