import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Config } from '../../../config';
import { AppError, Errors } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { serviceTicketWorkflowId, ticketAssignedSignal, ticketResolvedSignal, type ServiceTicketWorkflow } from '../workflows/definitions';
import { dealerScope, notYours, requireRole, type FleetCaller } from './access';
import { assignBest, rankFor } from './ticket-assign';

const present = (r: Record<string, unknown>) => ({
  id: Number(r.id),
  battery_id: Number(r.battery_id),
  issue_category: r.issue_category as string,
  description: r.description as string,
  priority: r.priority as string,
  status: r.status as string,
  location: (r.location as string | null) ?? null,
  skill_required: (r.skill_required as string | null) ?? null,
  technician_id: (r.technician_id as string | null) ?? null,
  assignment: r.assignment ?? null,
  escalations: Number(r.escalations),
  created_at: new Date(r.created_at as string).toISOString(),
});

/** Service tickets, each a `service-ticket:<id>` workflow (auto-assignment and SLA escalation). */
export class ServiceTicketService {
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; config: Config }) {}

  private get exec() {
    return executor(this.deps.orm);
  }
  private scope(caller: FleetCaller) {
    if (caller.userType === 'technician') return { sql: 't.technician_id = ?', params: [caller.memberId] };
    return dealerScope(caller, 't.dealer_id');
  }
  private signal(id: number, fn: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<void>) {
    return fn(this.deps.temporal.workflow.getHandle(serviceTicketWorkflowId(id))).catch(() => undefined);
  }

  async create(
    caller: FleetCaller,
    input: { battery_id: number; issue_category: string; description?: string; priority?: string; location?: string; skill_required?: string },
  ) {
    requireRole(caller, 'dealer', 'admin');
    const bScope = dealerScope(caller);
    const [battery] = await this.exec(`select id, dealer_id from fleet_batteries where id = ? and ${bScope.sql}`, [input.battery_id, ...bScope.params]);
    if (!battery) throw notYours('Battery');
    const [row] = await this.exec(
      `insert into fleet_service_tickets (battery_id, dealer_id, issue_category, description, priority, location, skill_required) values (?, ?, ?, ?, ?, ?, ?) returning *`,
      [
        battery.id,
        battery.dealer_id,
        input.issue_category,
        input.description ?? '',
        input.priority ?? 'medium',
        input.location ?? null,
        input.skill_required ?? 'battery_maintenance',
      ],
    );
    await this.deps.temporal.workflow.start<ServiceTicketWorkflow>('serviceTicketWorkflow', {
      workflowId: serviceTicketWorkflowId(row.id),
      taskQueue: this.deps.config.TEMPORAL_TASK_QUEUE,
      args: [
        {
          ticketId: row.id,
          assignSlaSeconds: this.deps.config.FLEET_TICKET_ASSIGN_SLA_SECONDS,
          resolveSlaSeconds: this.deps.config.FLEET_TICKET_RESOLVE_SLA_SECONDS,
        },
      ],
      typedSearchAttributes: startAttributes({ surface: 'fleet', status: 'open' }),
    });
    return present(row);
  }

  async get(caller: FleetCaller, id: number) {
    const scope = this.scope(caller);
    const [row] = await this.exec(`select * from fleet_service_tickets t where t.id = ? and ${scope.sql}`, [id, ...scope.params]);
    if (!row) throw Errors.notFound('Ticket');
    return present(row);
  }

  async active(caller: FleetCaller) {
    const scope = this.scope(caller);
    const rows = await this.exec(`select * from fleet_service_tickets t where t.status <> 'resolved' and ${scope.sql} order by t.id`, scope.params);
    return rows.map(present);
  }

  async assign(caller: FleetCaller, id: number, input: { technician_id: string; priority?: string }) {
    requireRole(caller, 'dealer', 'admin');
    const ticket = await this.get(caller, id);
    if (ticket.status === 'resolved') throw Errors.conflict('TICKET_RESOLVED', 'This ticket is already resolved');
    const [tech] = await this.exec(`select id, name from fleet_members where id = ? and user_type = 'technician'`, [input.technician_id]);
    if (!tech) throw Errors.notFound('Technician');
    const assignment = { technician_id: tech.id, technician_name: tech.name, by: 'manual', assigned_by: caller.memberId };
    await this.exec(
      `update fleet_service_tickets set technician_id = ?, priority = coalesce(?, priority), status = 'assigned', assignment = ?, assigned_at = now() where id = ?`,
      [tech.id, input.priority ?? null, JSON.stringify(assignment), id],
    );
    await this.signal(id, (h) => h.signal(ticketAssignedSignal, { technicianId: tech.id }));
    return this.get(caller, id);
  }

  async autoAssign(caller: FleetCaller, input: { ticket_id: number; location?: string; skill_required?: string }) {
    requireRole(caller, 'dealer', 'admin');
    const ticket = await this.get(caller, input.ticket_id);
    if (ticket.status !== 'open') throw Errors.conflict('TICKET_NOT_OPEN', `Ticket ${ticket.id} is already ${ticket.status}`);
    const ranking = await rankFor(this.exec, { location: input.location ?? ticket.location, skill: input.skill_required ?? ticket.skill_required });
    const chosen = await assignBest(this.exec, ticket.id, { location: input.location, skill: input.skill_required });
    if (!chosen) throw new AppError('NO_TECHNICIAN_AVAILABLE', 'No technician is available for this ticket', 409, { candidates: ranking });
    await this.signal(ticket.id, (h) => h.signal(ticketAssignedSignal, { technicianId: chosen.technician_id }));
    return { ticket: await this.get(caller, ticket.id), assigned: chosen, candidates: ranking };
  }

  async resolve(caller: FleetCaller, id: number) {
    requireRole(caller, 'technician', 'admin');
    await this.get(caller, id);
    await this.exec(`update fleet_service_tickets set status = 'resolved', resolved_at = now() where id = ? and status <> 'resolved'`, [id]);
    await this.signal(id, (h) => h.signal(ticketResolvedSignal));
    return this.get(caller, id);
  }

  async availableTechnicians(caller: FleetCaller, need: { location?: string; skill_required?: string }) {
    requireRole(caller, 'dealer', 'admin');
    return (await rankFor(this.exec, { location: need.location, skill: need.skill_required })).filter((t) => t.available);
  }
}
