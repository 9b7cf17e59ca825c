import { randomUUID } from 'node:crypto';
import { AppError, Errors } from '../../../kernel/errors';
import { splitPayment, type PaymentMode, LedgerService } from '../../ledger';
import { rulesFromConfig } from '../rules/rules';
import type { IssueType, PaymentModel } from '../rules/status';
import { cancelUpdate, extendUpdate, rentalWorkflowId } from '../workflows/definitions';
import { presentRental, RENTAL_SELECT } from './present';
import { RentalStartService, type RentalDeps } from './rental-start.service';
import { insufficient, rentalUpdateError } from './workflow-errors';

const HOLDING = ['active', 'overdue', 'cancelling'];

/** What a user does with a running rental: extend and cancel (workflow updates), GPS points, issue reports. */
export class RentalActionsService {
  constructor(private readonly deps: RentalDeps) {}

  private get conn() {
    return this.deps.orm.em.getConnection();
  }
  private get rules() {
    return rulesFromConfig(this.deps.config);
  }
  private handle(rentalId: string) {
    return this.deps.temporal.workflow.getHandle(rentalWorkflowId(rentalId));
  }

  async own(userId: string, rentalId: string): Promise<Record<string, unknown>> {
    const [row] = await this.conn.execute(`${RENTAL_SELECT} where r.id = ?`, [rentalId]);
    if (!row || row.user_id !== userId) throw Errors.notFound('Rental');
    return row;
  }

  private assertHolding(row: Record<string, unknown>) {
    if (!HOLDING.includes(String(row.status)))
      throw new AppError('RENTAL_NOT_ACTIVE', `The rental is ${row.status}`, 409, { rental_id: row.id, status: row.status });
  }

  /** Adds a package's time. Pre-payment pays it now (points first, then wallet) or fails with the shortfall. */
  async extend(userId: string, rentalId: string, packageId: string, idempotencyKey?: string) {
    const row = await this.own(userId, rentalId);
    if (row.status === 'overdue')
      throw new AppError('RENTAL_OVERDUE', 'An overdue rental cannot be extended: return the power bank', 409, { rental_id: rentalId });
    if (row.status !== 'active') throw new AppError('RENTAL_NOT_ACTIVE', `The rental is ${row.status}`, 409, { rental_id: rentalId, status: row.status });
    const pkg = await new RentalStartService(this.deps).package(packageId, row.payment_model as PaymentModel);
    if (row.payment_model === 'pre_payment') {
      const { walletMinor, points } = await new LedgerService(this.deps.orm).balances(userId, pkg.currency);
      const split = splitPayment(pkg.priceMinor, walletMinor, points, row.payment_mode as PaymentMode);
      if (!split.sufficient) throw insufficient(split.shortfallMinor, { rental_id: rentalId, amount_minor: pkg.priceMinor });
    }
    let result;
    try {
      result = await this.handle(rentalId).executeUpdate(extendUpdate, {
        args: [{ ...pkg, requestedBy: userId, keyed: !!idempotencyKey }],
        // A client retry with the same Idempotency-Key is the same update: it extends (and pays) once.
        ...(idempotencyKey ? { updateId: `extend:${idempotencyKey}` } : {}),
      });
    } catch (err) {
      throw rentalUpdateError(err, rentalId);
    }
    return {
      rental: presentRental(await this.own(userId, rentalId), this.rules),
      extension: { package_id: pkg.id, minutes: pkg.durationMinutes, charged_minor: result.chargedMinor, due_at: new Date(result.dueAt).toISOString() },
    };
  }

  /** Free within the cancel window if the power bank goes back in time (rules.ts); the rental says `cancelling` until then. */
  async cancel(userId: string, rentalId: string) {
    const row = await this.own(userId, rentalId);
    if (row.status === 'cancelling') return { rental: presentRental(row, this.rules), return_by: null };
    if (row.status !== 'active') throw new AppError('RENTAL_NOT_ACTIVE', `The rental is ${row.status}`, 409, { rental_id: rentalId, status: row.status });
    let result;
    try {
      result = await this.handle(rentalId).executeUpdate(cancelUpdate, { args: [{ requestedBy: userId }] });
    } catch (err) {
      throw rentalUpdateError(err, rentalId);
    }
    return {
      rental: presentRental(await this.own(userId, rentalId), this.rules),
      return_by: new Date(result.returnBy).toISOString(),
      message: `Return the power bank to any station by ${new Date(result.returnBy).toISOString()} and the rental is free`,
    };
  }

  async addLocation(userId: string, rentalId: string, p: { latitude: number; longitude: number; accuracy?: number; recorded_at?: Date }) {
    const row = await this.own(userId, rentalId);
    this.assertHolding(row);
    const recordedAt = p.recorded_at ?? new Date();
    const [saved] = await this.conn.execute(
      `insert into rental_locations (rental_id, user_id, latitude, longitude, accuracy_m, recorded_at) values (?, ?, ?, ?, ?, ?) returning id`,
      [rentalId, userId, p.latitude, p.longitude, p.accuracy ?? null, recordedAt],
    );
    return {
      id: String(saved.id),
      rental_id: rentalId,
      latitude: p.latitude,
      longitude: p.longitude,
      accuracy: p.accuracy ?? null,
      recorded_at: recordedAt.toISOString(),
    };
  }

  async reportIssue(userId: string, rentalId: string, issue: { issue_type: IssueType; description?: string }) {
    const row = await this.own(userId, rentalId);
    if (row.status === 'failed' || row.status === 'starting')
      throw new AppError('RENTAL_NOT_STARTED', 'No power bank was handed out for this rental', 409, { rental_id: rentalId });
    const id = randomUUID();
    await this.conn.execute(`insert into rental_issues (id, rental_id, user_id, type, description) values (?, ?, ?, ?, ?)`, [
      id,
      rentalId,
      userId,
      issue.issue_type,
      issue.description ?? null,
    ]);
    return {
      id,
      rental_id: rentalId,
      issue_type: issue.issue_type,
      description: issue.description ?? null,
      status: 'open',
      power_bank_sn: String(row.power_bank_sn),
      created_at: new Date().toISOString(),
    };
  }
}
