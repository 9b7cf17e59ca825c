import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import type { LoanActivities } from '../activities/loan.activities';
import { ticketAssignedSignal, ticketResolvedSignal, type ServiceTicketInput } from './definitions';

const acts = proxyActivities<LoanActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * `service-ticket:<id>`: created → auto-assigned (the best-scoring available technician) → an
 * SLA timer per stage: unassigned past the assign SLA, or unresolved past the resolve SLA,
 * escalates to the admins (SMS) and tries to assign again; → resolved.
 */
export async function serviceTicketWorkflow(input: ServiceTicketInput): Promise<{ ticketId: number; escalations: number }> {
  let assigned = false;
  let resolved = false;
  let escalations = 0;
  setHandler(ticketAssignedSignal, () => {
    assigned = true;
  });
  setHandler(ticketResolvedSignal, () => {
    resolved = true;
  });
  const tryAssign = async () => {
    if (assigned || resolved) return;
    const r = await acts.autoAssignTicket({ ticketId: input.ticketId });
    if (r.technicianId) assigned = true;
  };
  setBusinessStatus('open');
  await tryAssign();
  while (!resolved) {
    setBusinessStatus(assigned ? 'assigned' : 'open');
    const stage = assigned ? 'unresolved' : 'unassigned';
    const sla = (assigned ? input.resolveSlaSeconds : input.assignSlaSeconds) * 1000;
    const wasAssigned = assigned;
    const moved = await condition(() => resolved || assigned !== wasAssigned, sla);
    if (moved) continue;
    escalations += 1;
    setBusinessStatus(`escalated_${stage}`);
    await acts.escalateTicket({ ticketId: input.ticketId, stage, escalations });
    await tryAssign();
  }
  setBusinessStatus('resolved');
  return { ticketId: input.ticketId, escalations };
}
