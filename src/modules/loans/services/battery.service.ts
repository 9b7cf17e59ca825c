import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { AppError, Errors } from '../../../kernel/errors';
import { executor, isUniqueViolation } from '../../../kernel/sql';
import { dealerScope, notYours, requireRole, type FleetCaller } from './access';
import { requestBatteryStatus } from './battery-commands';
import type { BatteryAction } from '../workflows/definitions';

export function presentBattery(r: Record<string, unknown>) {
  return {
    id: Number(r.id),
    serial_number: r.serial_number as string,
    status: r.status as string,
    pending_action: (r.pending_action as string | null) ?? null,
    health_score: Number(r.health_score),
    owner_id: r.owner_id === null ? null : Number(r.owner_id),
    dealer_id: (r.dealer_id as string | null) ?? null,
    soc: r.soc === null ? null : Number(r.soc),
    temperature_c: r.temperature_c === null ? null : Number(r.temperature_c),
    location: r.lat === null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
    online: Boolean(r.online),
    last_seen: r.last_seen_at ? new Date(r.last_seen_at as string).toISOString() : null,
  };
}

export interface BatteryServiceDeps {
  orm: MikroORM;
  temporal: Client;
  taskQueue: string;
  ackTimeoutMs: number;
}

/** Batteries of the fleet: registry, assignment to consumers, remote status control, fleet health. */
export class BatteryService {
  constructor(private readonly deps: BatteryServiceDeps) {}

  private get exec() {
    return executor(this.deps.orm);
  }

  async list(caller: FleetCaller) {
    const scope = caller.userType === 'technician' ? { sql: 'true', params: [] } : dealerScope(caller);
    return (await this.exec(`select * from fleet_batteries where ${scope.sql} order by id`, scope.params)).map(presentBattery);
  }

  async get(caller: FleetCaller, serial: string) {
    const scope = caller.userType === 'technician' ? { sql: 'true', params: [] } : dealerScope(caller);
    const [row] = await this.exec(`select * from fleet_batteries where serial_number = ? and ${scope.sql}`, [serial, ...scope.params]);
    if (!row) throw notYours('Battery');
    return presentBattery(row);
  }

  async create(caller: FleetCaller, input: { serial_number: string; health_score: number; dealer_id?: string }) {
    requireRole(caller, 'dealer', 'admin');
    const dealerId = caller.userType === 'dealer' ? caller.memberId : (input.dealer_id ?? null);
    try {
      const [row] = await this.exec(`insert into fleet_batteries (serial_number, health_score, dealer_id) values (?, ?, ?) returning *`, [
        input.serial_number,
        input.health_score,
        dealerId,
      ]);
      return presentBattery(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw Errors.conflict('BATTERY_EXISTS', `A battery with serial ${input.serial_number} is already registered`);
      throw err;
    }
  }

  /** Assigns the battery to a consumer of the same dealer (admins: any consumer of the battery's dealer). */
  async assign(caller: FleetCaller, serial: string, consumerId: number) {
    requireRole(caller, 'dealer', 'admin');
    const battery = await this.get(caller, serial);
    const scope = dealerScope(caller);
    const [consumer] = await this.exec(`select id, dealer_id from fleet_consumers where id = ? and ${scope.sql}`, [consumerId, ...scope.params]);
    if (!consumer) throw notYours('Consumer');
    if (battery.dealer_id && battery.dealer_id !== consumer.dealer_id)
      throw new AppError('DEALER_MISMATCH', 'The battery and the consumer belong to different dealers', 409);
    const [row] = await this.exec(`update fleet_batteries set owner_id = ?, dealer_id = coalesce(dealer_id, ?), updated_at = now() where id = ? returning *`, [
      consumerId,
      consumer.dealer_id,
      battery.id,
    ]);
    return presentBattery(row);
  }

  /**
   * Sends the status to the battery (the `battery-control:<serial>` workflow) and waits up to the
   * ack timeout: `applied` when the battery acked, else `pending` (it gets the command when it reconnects).
   */
  async control(caller: FleetCaller, serial: string, action: BatteryAction) {
    requireRole(caller, 'dealer', 'admin');
    await this.get(caller, serial);
    await requestBatteryStatus(this.deps, { serial, action, reason: `${caller.userType}:${caller.memberId}` });
    // The row changes only on the battery's ack: watch it (never hold a result poll open for a battery that may stay offline).
    const until = Date.now() + this.deps.ackTimeoutMs + 1500;
    let outcome: 'applied' | 'pending' = 'pending';
    while (Date.now() < until) {
      const [row] = await this.exec(`select status, pending_action from fleet_batteries where serial_number = ?`, [serial]);
      if (row.status === action && row.pending_action === null) {
        outcome = 'applied';
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return { serial_number: serial, action, status: outcome, battery: await this.get(caller, serial) };
  }

  /** Fleet health from the batteries' own telemetry (heartbeats). */
  async healthReport(caller: FleetCaller) {
    const scope = caller.userType === 'technician' ? { sql: 'true', params: [] } : dealerScope(caller);
    const [r] = await this.exec(
      `select count(*)::int as total, count(*) filter (where online)::int as online,
              count(*) filter (where status = 'active')::int as active, count(*) filter (where status = 'inactive')::int as inactive,
              count(*) filter (where status = 'maintenance')::int as maintenance,
              round(avg(health_score), 1)::float as avg_health, round(avg(soc), 1)::float as avg_soc,
              count(*) filter (where health_score < 60)::int as needs_service, max(temperature_c)::float as max_temperature_c
         from fleet_batteries where ${scope.sql}`,
      scope.params,
    );
    return {
      total_batteries: r.total,
      online: r.online,
      by_status: { active: r.active, inactive: r.inactive, maintenance: r.maintenance },
      average_health_score: r.avg_health ?? null,
      average_soc: r.avg_soc ?? null,
      needs_service: r.needs_service,
      max_temperature_c: r.max_temperature_c ?? null,
    };
  }

  /** Test path (not in production): sets the status in the database directly, without the battery. */
  async testStatus(caller: FleetCaller, serial: string, status: BatteryAction) {
    requireRole(caller, 'dealer', 'admin');
    const battery = await this.get(caller, serial);
    const [row] = await this.exec(`update fleet_batteries set status = ?, updated_at = now() where id = ? returning *`, [status, battery.id]);
    return presentBattery(row);
  }
}
