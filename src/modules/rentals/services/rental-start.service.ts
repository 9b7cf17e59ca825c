import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { AppError, Errors } from '../../../kernel/errors';
import type { Config } from '../../../config';
import { toInt } from '../../../kernel/money';
import { splitPayment, type PaymentMode } from '../../ledger/rules/payment-options';
import { rulesFromConfig } from '../rules/rules';
import { OPEN_STATUS_SQL, type PaymentModel } from '../rules/status';
import { LedgerService } from '../../ledger/services/ledger.service';
import { ejectUpdate, rentalWorkflowId, type EjectResult, type RentalInput } from '../workflows/definitions';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { assertUserCanRent } from './prerequisites';
import { presentRental, RENTAL_SELECT } from './present';
import { insufficient } from './workflow-errors';

export interface StartRentalRequest { stationSn: string; packageId: string; paymentModel: PaymentModel; paymentMode: PaymentMode }
export interface RentalDeps { orm: MikroORM; temporal: Client; config: Config }

const EJECT_FAILURES: Record<string, number> = { DEVICE_TIMEOUT: 504, DEVICE_ERROR: 502, INSUFFICIENT_BALANCE: 402 };

/**
 * `POST /rentals/start`: checks every prerequisite, reserves a charged power bank in a rentals
 * row (the partial unique indexes allow one open rental per user and per power bank, so two
 * concurrent starts make one rental), starts `rental:<id>` and answers with the eject outcome.
 */
export class RentalStartService {
  constructor(private readonly deps: RentalDeps) {}

  private get conn() { return this.deps.orm.em.getConnection(); }
  private get rules() { return rulesFromConfig(this.deps.config); }

  async start(userId: string, req: StartRentalRequest) {
    await assertUserCanRent(this.deps.orm, userId);
    const [station] = await this.conn.execute(`select sn, online, maintenance, status from stations where sn = ?`, [req.stationSn]);
    if (!station) throw Errors.notFound(`Station ${req.stationSn}`);
    if (!station.online) throw new AppError('STATION_OFFLINE', `Station ${req.stationSn} is offline`, 409);
    if (station.maintenance || station.status !== 'active') throw new AppError('STATION_MAINTENANCE', `Station ${req.stationSn} is under maintenance`, 409);
    const pkg = await this.package(req.packageId, req.paymentModel);
    if (req.paymentModel === 'pre_payment') {
      const { walletMinor, points } = await new LedgerService(this.deps.orm).balances(userId);
      const split = splitPayment(pkg.priceMinor, walletMinor, points, req.paymentMode);
      if (!split.sufficient) throw insufficient(split.shortfallMinor, { amount_minor: pkg.priceMinor });
    }
    const reserved = await this.reserve(userId, req, pkg);
    const input: RentalInput = {
      rentalId: reserved.id, userId, stationSn: req.stationSn, slot: reserved.slot, powerBankSn: reserved.powerBankSn,
      paymentModel: req.paymentModel, paymentMode: req.paymentMode, pkg, powerBankPriceMinor: reserved.priceMinor,
      rules: this.rules, ejectTimeoutMs: this.deps.config.DEVICE_ACK_TIMEOUT_MS,
      ejectWatch: { minutes: this.deps.config.RENTAL_EJECT_WATCH_MINUTES, intervalSeconds: this.deps.config.RENTAL_EJECT_WATCH_INTERVAL_SECONDS },
    };
    const outcome = await this.runEject(input);
    const row = await this.row(reserved.id);
    if (outcome && !outcome.ok) {
      throw new AppError(outcome.code, `The power bank was not ejected: ${outcome.reason}`, EJECT_FAILURES[outcome.code] ?? 502,
        { rental_id: reserved.id, ...(outcome.shortfallMinor !== undefined ? { shortfall_minor: outcome.shortfallMinor } : {}) });
    }
    return presentRental(row, this.rules);
  }

  async package(packageId: string, model: PaymentModel) {
    const [p] = await this.conn.execute(`select id, name, duration_minutes, price_minor, payment_model from rental_packages where id = ? and active`, [packageId]);
    if (!p) throw Errors.notFound('Package');
    if (p.payment_model !== 'both' && p.payment_model !== model) throw new AppError('PAYMENT_MODEL_NOT_ALLOWED', `This package is for ${p.payment_model} only`, 400);
    return { id: String(p.id), name: String(p.name), durationMinutes: toInt(p.duration_minutes), priceMinor: toInt(p.price_minor) };
  }

  /** Picks the fullest charged power bank nobody holds and writes the rental row for it. */
  private async reserve(userId: string, req: StartRentalRequest, pkg: { id: string; durationMinutes: number; priceMinor: number }) {
    for (let attempt = 1; ; attempt++) {
      const id = randomUUID();
      try {
        const [row] = await this.conn.execute(
          `insert into rentals (id, user_id, station_sn, slot_index, power_bank_sn, package_id, payment_model, payment_mode, price_minor, duration_minutes, price_cap_minor)
           select ?, ?, ?, s.index, s.power_bank_sn, ?, ?, ?, ?, ?, ?
           from slots s join stations st on st.id = s.station_id left join power_banks pb on pb.sn = s.power_bank_sn
           where st.sn = ? and s.status = 'occupied' and s.power_bank_sn is not null and coalesce(s.battery_level, 0) >= ?
             and coalesce(pb.status, 'available') = 'available'
             and not exists (select 1 from rentals r where r.power_bank_sn = s.power_bank_sn and r.status in (${OPEN_STATUS_SQL}))
           order by s.battery_level desc, s.index limit 1
           returning id, slot_index, power_bank_sn`,
          [id, userId, req.stationSn, pkg.id, req.paymentModel, req.paymentMode, pkg.priceMinor, pkg.durationMinutes, pkg.priceMinor,
            req.stationSn, this.deps.config.RENTAL_MIN_BATTERY_PERCENT]);
        if (!row) throw new AppError('NO_POWER_BANK_AVAILABLE', `No charged power bank is available at ${req.stationSn}`, 409, { min_battery_percent: this.deps.config.RENTAL_MIN_BATTERY_PERCENT });
        const [pb] = await this.conn.execute(`select price_minor from power_banks where sn = ?`, [row.power_bank_sn]);
        return { id: String(row.id), slot: toInt(row.slot_index), powerBankSn: String(row.power_bank_sn), priceMinor: pb ? toInt(pb.price_minor) : 200_000 };
      } catch (err) {
        const msg = (err as Error).message ?? '';
        if (msg.includes('rentals_one_open_per_user')) {
          const [open] = await this.conn.execute(`select id from rentals where user_id = ? and status in (${OPEN_STATUS_SQL})`, [userId]);
          throw new AppError('RENTAL_ALREADY_ACTIVE', 'You already have an active rental', 409, { rental_id: open?.id ?? null });
        }
        // Someone else took that power bank a moment ago: pick another.
        if (msg.includes('rentals_one_open_per_power_bank') && attempt < 5) continue;
        throw err;
      }
    }
  }

  /** Starts the workflow and waits (bounded) for the eject outcome through the `eject` update. */
  private async runEject(input: RentalInput): Promise<EjectResult | undefined> {
    let handle;
    try {
      handle = await this.deps.temporal.workflow.start('rentalWorkflow', {
        workflowId: rentalWorkflowId(input.rentalId), taskQueue: this.deps.config.TEMPORAL_TASK_QUEUE, args: [input],
        typedSearchAttributes: startAttributes({ userId: input.userId, stationSn: input.stationSn }), // the workflow sets BusinessStatus itself
      });
    } catch (err) {
      await this.conn.execute(`update rentals set status = 'failed', payment_status = 'none', failure_code = 'NOT_STARTED', failure_reason = ?, ended_at = now() where id = ?`,
        [String((err as Error).message).slice(0, 255), input.rentalId]);
      throw new AppError('SERVICE_UNAVAILABLE', 'Rentals cannot be started right now', 503, { rental_id: input.rentalId });
    }
    const waitMs = input.ejectTimeoutMs + 20_000;
    const update = handle.executeUpdate(ejectUpdate);
    update.catch(() => undefined);
    // Without a worker the client gets the rental as `starting` and follows it with GET /rentals/active.
    return Promise.race([update, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), waitMs).unref())]);
  }

  async row(rentalId: string) {
    const [row] = await this.conn.execute(`${RENTAL_SELECT} where r.id = ?`, [rentalId]);
    return row as Record<string, unknown>;
  }
}
