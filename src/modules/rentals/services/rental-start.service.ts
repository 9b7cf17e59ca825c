import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WithStartWorkflowOperation, WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { AppError, Errors } from '../../../kernel/errors';
import type { Config } from '../../../config';
import { toInt } from '../../../kernel/money';
import { splitPayment, type PaymentMode, LedgerService } from '../../ledger';
import { rulesFromConfig } from '../rules/rules';
import { OPEN_STATUS_SQL, type PaymentModel } from '../rules/status';
import { ejectUpdate, RENTAL_WORKFLOW_TYPE, rentalWorkflowId, type EjectResult, type RentalInput, type RentalWorkflow } from '../workflows/definitions';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { assertUserCanRent } from './prerequisites';
import { presentRental, RENTAL_SELECT } from './present';
import { insufficient } from './workflow-errors';
import { executor } from '../../../kernel/sql';
import { stationReader } from '../../stations';
import { rentalStore } from './rental-store';

export interface StartRentalRequest {
  stationSn: string;
  packageId: string;
  paymentModel: PaymentModel;
  paymentMode: PaymentMode;
}
/** `currency`: the product's wallet currency (its rental packages are priced in it). */
export interface RentalDeps {
  orm: MikroORM;
  temporal: Client;
  config: Config;
  currency: string;
}

const EJECT_FAILURES: Record<string, number> = { DEVICE_TIMEOUT: 504, DEVICE_ERROR: 502, INSUFFICIENT_BALANCE: 402 };

/**
 * `POST /rentals/start`: checks every prerequisite, reserves a charged power bank in a rentals
 * row (the partial unique indexes allow one open rental per user and per power bank, so two
 * concurrent starts make one rental), starts `rental:<id>` and answers with the eject outcome.
 */
export class RentalStartService {
  constructor(private readonly deps: RentalDeps) {}

  private get conn() {
    return this.deps.orm.em.getConnection();
  }
  private get stations() {
    return stationReader(this.deps.orm);
  }
  private get rules() {
    return rulesFromConfig(this.deps.config);
  }

  async start(userId: string, req: StartRentalRequest) {
    // Read side by side (the request's wall time, issue 16); refused in the same order as ever: the user, the station, the package.
    const [user, found, chosen] = await Promise.allSettled([
      assertUserCanRent(this.deps.orm, userId, this.deps.currency),
      this.stations.station(req.stationSn),
      this.package(req.packageId, req.paymentModel),
    ]);
    if (user.status === 'rejected') throw user.reason;
    if (found.status === 'rejected') throw found.reason;
    const station = found.value;
    if (!station) throw Errors.notFound(`Station ${req.stationSn}`);
    if (!station.online) throw new AppError('STATION_OFFLINE', `Station ${req.stationSn} is offline`, 409);
    if (station.maintenance || station.status !== 'active') throw new AppError('STATION_MAINTENANCE', `Station ${req.stationSn} is under maintenance`, 409);
    if (chosen.status === 'rejected') throw chosen.reason;
    const pkg = chosen.value;
    if (req.paymentModel === 'pre_payment') {
      const { walletMinor, points } = await new LedgerService(this.deps.orm).balances(userId, pkg.currency);
      const split = splitPayment(pkg.priceMinor, walletMinor, points, req.paymentMode);
      if (!split.sufficient) throw insufficient(split.shortfallMinor, { amount_minor: pkg.priceMinor });
    }
    const reserved = await this.reserve(userId, req, pkg);
    const input: RentalInput = {
      rentalId: reserved.id,
      userId,
      stationSn: req.stationSn,
      slot: reserved.slot,
      powerBankSn: reserved.powerBankSn,
      paymentModel: req.paymentModel,
      paymentMode: req.paymentMode,
      pkg,
      powerBankPriceMinor: reserved.priceMinor,
      rules: this.rules,
      ejectTimeoutMs: this.deps.config.DEVICE_ACK_TIMEOUT_MS,
      ejectWatch: { minutes: this.deps.config.RENTAL_EJECT_WATCH_MINUTES, intervalSeconds: this.deps.config.RENTAL_EJECT_WATCH_INTERVAL_SECONDS },
    };
    const outcome = await this.runEject(input);
    const row = await this.row(reserved.id);
    // The run's answer, or (a run that ended without answering: cancelled by an operator) what its row says.
    const failure =
      outcome && !outcome.ok ? outcome : row.status === 'failed' ? { code: String(row.failure_code), reason: String(row.failure_reason) } : undefined;
    if (failure) {
      throw new AppError(failure.code, `The power bank was not ejected: ${failure.reason}`, EJECT_FAILURES[failure.code] ?? 502, {
        rental_id: reserved.id,
        ...('shortfallMinor' in failure && failure.shortfallMinor !== undefined ? { shortfall_minor: failure.shortfallMinor } : {}),
      });
    }
    return presentRental(row, this.rules);
  }

  async package(packageId: string, model: PaymentModel) {
    const [p] = await this.conn.execute(
      `select id, name, duration_minutes, price_minor, currency, payment_model from rental_packages where id = ? and active`,
      [packageId],
    );
    if (!p) throw Errors.notFound('Package');
    if (p.payment_model !== 'both' && p.payment_model !== model)
      throw new AppError('PAYMENT_MODEL_NOT_ALLOWED', `This package is for ${p.payment_model} only`, 400);
    return {
      id: String(p.id),
      name: String(p.name),
      durationMinutes: toInt(p.duration_minutes),
      priceMinor: toInt(p.price_minor),
      currency: String(p.currency),
    };
  }

  /**
   * Reserves the fullest charged power bank nobody holds: a rentals row for the first candidate the
   * partial unique indexes let through (one open rental per user and per power bank, so two
   * concurrent starts make one rental and never share a power bank).
   */
  private async reserve(userId: string, req: StartRentalRequest, pkg: { id: string; durationMinutes: number; priceMinor: number }) {
    const minBattery = this.deps.config.RENTAL_MIN_BATTERY_PERCENT;
    const candidates = await this.stations.chargedPowerBanks(req.stationSn, minBattery);
    const held = await this.heldPowerBanks(candidates.map((c) => c.powerBankSn));
    for (const bank of candidates.filter((c) => !held.has(c.powerBankSn))) {
      const id = randomUUID();
      try {
        await rentalStore.reserve(executor(this.deps.orm), {
          id,
          userId,
          stationSn: req.stationSn,
          slot: bank.slot,
          powerBankSn: bank.powerBankSn,
          packageId: pkg.id,
          paymentModel: req.paymentModel,
          paymentMode: req.paymentMode,
          priceMinor: pkg.priceMinor,
          durationMinutes: pkg.durationMinutes,
        });
        const priceMinor = await this.stations.powerBankPrice(bank.powerBankSn);
        return { id, slot: bank.slot, powerBankSn: bank.powerBankSn, priceMinor: priceMinor ?? 200_000 };
      } catch (err) {
        const msg = (err as Error).message ?? '';
        if (msg.includes('rentals_one_open_per_user')) {
          const [open] = await this.conn.execute(`select id from rentals where user_id = ? and status in (${OPEN_STATUS_SQL})`, [userId]);
          throw new AppError('RENTAL_ALREADY_ACTIVE', 'You already have an active rental', 409, { rental_id: open?.id ?? null });
        }
        // Someone else took that power bank a moment ago: try the next one.
        if (msg.includes('rentals_one_open_per_power_bank')) continue;
        throw err;
      }
    }
    throw new AppError('NO_POWER_BANK_AVAILABLE', `No charged power bank is available at ${req.stationSn}`, 409, { min_battery_percent: minBattery });
  }

  /** The power banks among these that an open rental holds. */
  private async heldPowerBanks(serials: string[]): Promise<Set<string>> {
    if (!serials.length) return new Set();
    const rows = await this.conn.execute(`select power_bank_sn from rentals where power_bank_sn in (?) and status in (${OPEN_STATUS_SQL})`, [serials]);
    return new Set(rows.map((r: Record<string, unknown>) => String(r.power_bank_sn)));
  }

  /**
   * Starts the workflow with its `eject` update in the same call (update-with-start: the update
   * reaches the run's first workflow task) and waits, bounded, for the eject outcome. A retry of a
   * start whose answer got lost joins the run that exists (USE_EXISTING) and asks it again. Only
   * when Temporal says there is no such run does the rental fail `NOT_STARTED`; when it cannot
   * say, the row stays `starting` and the rental sweeper settles it.
   */
  private async runEject(input: RentalInput): Promise<EjectResult | undefined> {
    const workflowId = rentalWorkflowId(input.rentalId);
    const ejectWithStart = () => {
      const startWorkflowOperation = new WithStartWorkflowOperation<RentalWorkflow>(RENTAL_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: this.deps.config.TEMPORAL_TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        // BusinessStatus starts as `ejecting` here rather than by an upsert in the run.
        typedSearchAttributes: startAttributes({ userId: input.userId, stationSn: input.stationSn, status: 'ejecting' }),
      });
      const outcome = this.deps.temporal.workflow.executeUpdateWithStart(ejectUpdate, { startWorkflowOperation });
      outcome.catch(() => undefined); // read below, or left to the row when the wait ends first
      return { started: startWorkflowOperation.workflowHandle().then(() => undefined), outcome };
    };
    // Without a worker (no update accepted) the client gets the rental as `starting` and follows it with GET /rentals/active.
    const waitMs = input.ejectTimeoutMs + 20_000;
    const waited = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), waitMs).unref());
    let call = ejectWithStart();
    try {
      const started = call.started.catch(() => (call = ejectWithStart()).started).then(() => true);
      started.catch(() => undefined); // a start that fails after the wait ended is the sweeper's
      if (!(await Promise.race([started, waited]))) return undefined;
    } catch (err) {
      if ((await this.runExists(workflowId)) === false) await rentalStore.notStarted(executor(this.deps.orm), input.rentalId, String((err as Error).message));
      throw new AppError('SERVICE_UNAVAILABLE', 'Rentals cannot be started right now', 503, { rental_id: input.rentalId });
    }
    // A run that ends without answering (an operator cancelled it) leaves its outcome on the row.
    return Promise.race([call.outcome.catch(() => undefined), waited]);
  }

  /** Whether the run exists: true, false, or undefined when Temporal cannot be asked. */
  private async runExists(workflowId: string): Promise<boolean | undefined> {
    try {
      await this.deps.temporal.workflow.getHandle(workflowId).describe();
      return true;
    } catch (err) {
      return err instanceof WorkflowNotFoundError ? false : undefined;
    }
  }

  async row(rentalId: string) {
    const [row] = await this.conn.execute(`${RENTAL_SELECT} where r.id = ?`, [rentalId]);
    return row as Record<string, unknown>;
  }
}
