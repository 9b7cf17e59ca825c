/**
 * Scoring technicians for a ticket (pure): location match 40, skill match 30, available 20, and
 * up to 10 for a light load (10 − 5 per open ticket, not below 0). The highest score wins; ties go
 * to the fewest open tickets, then the name. An unavailable technician is never picked.
 */
export interface TechnicianCandidate {
  id: string;
  name: string;
  location: string | null;
  skills: string[];
  available: boolean;
  openTickets: number;
}

export interface ScoredTechnician extends TechnicianCandidate {
  score: number;
  breakdown: { location: number; skill: number; availability: number; load: number };
}

const same = (a: string | null | undefined, b: string | null | undefined) => Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());

export function scoreTechnician(t: TechnicianCandidate, need: { location?: string | null; skill?: string | null }): ScoredTechnician {
  const breakdown = {
    location: same(t.location, need.location) ? 40 : 0,
    skill: need.skill && t.skills.some((s) => same(s, need.skill)) ? 30 : 0,
    availability: t.available ? 20 : 0,
    load: Math.max(0, 10 - 5 * t.openTickets),
  };
  return { ...t, breakdown, score: breakdown.location + breakdown.skill + breakdown.availability + breakdown.load };
}

export function rankTechnicians(ts: TechnicianCandidate[], need: { location?: string | null; skill?: string | null }): ScoredTechnician[] {
  return ts.map((t) => scoreTechnician(t, need)).sort((a, b) => b.score - a.score || a.openTickets - b.openTickets || a.name.localeCompare(b.name));
}

export const bestTechnician = (ts: TechnicianCandidate[], need: { location?: string | null; skill?: string | null }) =>
  rankTechnicians(ts, need).find((t) => t.available);
