import type { MikroORM } from '@mikro-orm/postgresql';
import { toInt } from '../../../kernel/money';
import { AppError, Errors } from '../../../kernel/errors';
import type { ReviewReason, ReviewResolution } from '../rules/review';
import { offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { recordRentalEvent } from './timeline';
import { isoOrNull } from '../../../kernel/present';
import { rentalStore } from './rental-store';
import { executor } from '../../../kernel/sql';
import { userContacts, type UserContact } from '../../identity';
import { stationReader } from '../../stations';

type ReviewRow = { r: Record<string, unknown>; user?: UserContact; bank?: { status: string; lastRentalId: string | null } };

/** A flagged rental as admins see it: who holds it, where the power bank is, how it was resolved. */
function presentReview({ r, user, bank }: ReviewRow) {
  return {
    rental_id: String(r.id),
    reason: String(r.review_reason) as ReviewReason,
    flagged_at: isoOrNull(r.review_at)!,
    user: { id: String(r.user_id), phone: user?.phone ?? null, email: user?.email ?? null },
    station_sn: String(r.station_sn),
    slot: toInt(r.slot_index),
    power_bank_sn: String(r.power_bank_sn),
    rental_status: String(r.status),
    payment_status: String(r.payment_status),
    failure_code: (r.failure_code as string) ?? null,
    power_bank: { status: bank?.status ?? null, out_with_this_rental: bank?.status === 'rented' && bank.lastRentalId === r.id },
    resolution: r.review_resolved_at
      ? {
          resolution: String(r.review_resolution) as ReviewResolution,
          note: (r.review_note as string) ?? null,
          resolved_at: isoOrNull(r.review_resolved_at)!,
          resolved_by: String(r.review_resolved_by),
        }
      : null,
    returned: r.returned_at
      ? {
          at: isoOrNull(r.returned_at)!,
          station_sn: (r.return_station_sn as string) ?? null,
          slot: r.return_slot_index === null ? null : toInt(r.return_slot_index),
          return_id: r.return_id === null ? null : String(r.return_id),
        }
      : null,
  };
}

export interface ReviewFilters extends Pagination {
  reason?: ReviewReason;
  open?: boolean;
  resolved?: boolean;
  rentalId?: string;
}

/**
 * Rentals flagged for an admin (../rules/review.ts): failed ejects whose bay let the
 * power bank go (who has it, whether it is back, the return linked to it) or could not be confirmed.
 */
export class RentalReviewService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  private get conn() {
    return this.deps.orm.em.getConnection();
  }

  async list(f: ReviewFilters) {
    const where = ['r.review_reason is not null'];
    const params: unknown[] = [];
    if (f.rentalId) {
      where.push('r.id = ?');
      params.push(f.rentalId);
    }
    if (f.reason) {
      where.push('r.review_reason = ?');
      params.push(f.reason);
    }
    if (f.open !== undefined) where.push(f.open ? 'r.returned_at is null' : 'r.returned_at is not null');
    if (f.resolved !== undefined) where.push(f.resolved ? 'r.review_resolved_at is not null' : 'r.review_resolved_at is null');
    const w = where.join(' and ');
    const [{ n }] = await this.conn.execute(`select count(*) n from rentals r where ${w}`, params);
    const rows = await this.conn.execute(
      `select r.*, (select pr.id from power_bank_returns pr where pr.rental_id = r.id and pr.outcome = 'after_failure' order by pr.id limit 1) as return_id
       from rentals r where ${w} order by r.review_at desc, r.id limit ? offset ?`,
      [...params, f.page_size, offsetOf(f)],
    );
    const users = await userContacts(
      executor(this.deps.orm),
      rows.map((r: Record<string, unknown>) => String(r.user_id)),
    );
    const banks = await stationReader(this.deps.orm).powerBanks(rows.map((r: Record<string, unknown>) => String(r.power_bank_sn)));
    return pageOf(
      rows.map((r: Record<string, unknown>) => ({ r, user: users.get(String(r.user_id)), bank: banks.get(String(r.power_bank_sn)) })).map(presentReview),
      toInt(n),
      f,
    );
  }

  /**
   * Closes a review once, with the admin's decision (recorded on the rental and its timeline).
   * Moves no money and no inventory. A second close is refused: the first decision stands.
   */
  async resolve(rentalId: string, adminId: string, input: { resolution: ReviewResolution; note?: string }) {
    const at = await rentalStore.reviewResolved(executor(this.deps.orm), rentalId, { ...input, adminId });
    if (!at) {
      const [r] = await this.conn.execute(`select review_reason, review_resolution from rentals where id = ?`, [rentalId]);
      if (!r?.review_reason) throw Errors.notFound('Rental under review');
      throw new AppError('REVIEW_ALREADY_RESOLVED', `This review was already resolved as ${r.review_resolution}`, 409, { resolution: r.review_resolution });
    }
    await recordRentalEvent((q, p) => this.conn.execute(q, p, 'run'), {
      rentalId,
      type: 'review_resolved',
      key: 'review_resolved',
      at: at.getTime(),
      data: { resolution: input.resolution, note: input.note ?? null, admin_id: adminId },
    });
    const {
      results: [item],
    } = await this.list({ page: 1, page_size: 1, rentalId });
    return item;
  }
}
