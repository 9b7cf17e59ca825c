import type { Execute } from '../../../kernel/sql';
import { bestTechnician, rankTechnicians, type TechnicianCandidate } from '../rules/technician-score';

/** Technicians with their open tickets, for scoring. */
export async function technicianCandidates(exec: Execute): Promise<TechnicianCandidate[]> {
  const rows = await exec(
    `select m.id, m.name, m.location, m.skills, m.available,
            (select count(*) from fleet_service_tickets t where t.technician_id = m.id and t.status in ('assigned','in_progress'))::int as open
       from fleet_members m where m.user_type = 'technician' order by m.name`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, location: r.location, skills: r.skills ?? [], available: r.available, openTickets: r.open }));
}

export const rankFor = async (exec: Execute, need: { location?: string | null; skill?: string | null }) =>
  rankTechnicians(await technicianCandidates(exec), need);

/** Assigns the ticket to the best available technician (if it is still open); returns the choice with its score, or null. */
export async function assignBest(exec: Execute, ticketId: number, override: { location?: string; skill?: string } = {}) {
  const [t] = await exec(`select id, status, location, skill_required from fleet_service_tickets where id = ?`, [ticketId]);
  if (!t || t.status !== 'open') return null;
  const need = { location: override.location ?? t.location, skill: override.skill ?? t.skill_required };
  const best = bestTechnician(await technicianCandidates(exec), need);
  if (!best) return null;
  const assignment = { technician_id: best.id, technician_name: best.name, score: best.score, breakdown: best.breakdown, by: 'auto' };
  const done = await exec(
    `update fleet_service_tickets set status = 'assigned', technician_id = ?, assignment = ?, assigned_at = now() where id = ? and status = 'open' returning id`,
    [best.id, JSON.stringify(assignment), ticketId],
  );
  return done.length ? assignment : null;
}
