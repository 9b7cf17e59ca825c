import { rowCount, type Execute } from '../../../kernel/sql';
import type { PaymentMode } from '../../ledger';
import type { ReviewReason, ReviewResolution } from '../rules/review';
import type { PaymentModel, RentalPaymentStatus, RentalStatus } from '../rules/status';

const date = (ms: number | undefined | null) => (ms === undefined || ms === null ? null : new Date(ms));

/**
 * Every write of a `rentals` row, in one place: the start reserves it, the workflow's activities
 * move it through its life, the return handler and the eject watch link late returns, dues and
 * reviews close what is left. Each is a plain update to a target state, safe to run again.
 */
export const rentalStore = {
  /** A rental reserving one docked power bank; the partial unique indexes allow one open rental per user and per power bank. */
  async reserve(
    q: Execute,
    r: {
      id: string;
      userId: string;
      stationSn: string;
      slot: number;
      powerBankSn: string;
      packageId: string;
      paymentModel: PaymentModel;
      paymentMode: PaymentMode;
      priceMinor: number;
      durationMinutes: number;
    },
  ): Promise<void> {
    await q(
      `insert into rentals (id, user_id, station_sn, slot_index, power_bank_sn, package_id, payment_model, payment_mode, price_minor, duration_minutes, price_cap_minor)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [r.id, r.userId, r.stationSn, r.slot, r.powerBankSn, r.packageId, r.paymentModel, r.paymentMode, r.priceMinor, r.durationMinutes, r.priceMinor],
    );
  },

  /** Its workflow could not be started: the rental never began. */
  async notStarted(q: Execute, rentalId: string, reason: string): Promise<void> {
    await q(`update rentals set status = 'failed', payment_status = 'none', failure_code = 'NOT_STARTED', failure_reason = ?, ended_at = now() where id = ?`, [
      reason.slice(0, 255),
      rentalId,
    ]);
  },

  /** The kiosk acked the eject: the rental runs. False when it already ran (this write came again, late). */
  async ejected(
    q: Execute,
    r: { rentalId: string; slot: number; powerBankSn: string; startedAt: number; dueAt: number; paidMinor: number; paymentStatus: RentalPaymentStatus },
  ): Promise<boolean> {
    const moved = await q(
      `update rentals set status = 'active', payment_status = ?, power_bank_sn = ?, slot_index = ?, started_at = ?, due_at = ?, paid_minor = ?, updated_at = now()
             where id = ? and status = 'starting' returning id`,
      [r.paymentStatus, r.powerBankSn, r.slot, date(r.startedAt), date(r.dueAt), r.paidMinor, r.rentalId],
    );
    return rowCount(moved) > 0;
  },

  async failed(q: Execute, r: { rentalId: string; code: string; reason: string; at: number; refunded: boolean }): Promise<void> {
    await q(`update rentals set status = 'failed', payment_status = ?, failure_code = ?, failure_reason = ?, ended_at = ?, updated_at = now() where id = ?`, [
      r.refunded ? 'refunded' : 'none',
      r.code,
      r.reason.slice(0, 255),
      date(r.at),
      r.rentalId,
    ]);
  },

  /** overdue / cancelling / back to active (a lapsed cancel). */
  async statusChanged(q: Execute, r: { rentalId: string; status: RentalStatus; cancelRequestedAt?: number | null }): Promise<void> {
    await q(
      `update rentals set status = ?, cancel_requested_at = case when ? then ? else cancel_requested_at end, updated_at = now() where id = ? and status in ('active', 'overdue', 'cancelling')`,
      [r.status, r.cancelRequestedAt !== undefined, date(r.cancelRequestedAt), r.rentalId],
    );
  },

  async extended(q: Execute, r: { rentalId: string; dueAt: number; extensions: number; priceCapMinor: number; paidMinor: number }): Promise<void> {
    await q(`update rentals set due_at = ?, extensions = greatest(extensions, ?), price_cap_minor = ?, paid_minor = ?, updated_at = now() where id = ?`, [
      date(r.dueAt),
      r.extensions,
      r.priceCapMinor,
      r.paidMinor,
      r.rentalId,
    ]);
  },

  /** The end: completed, cancelled or lost, with what was charged and what is still owed. */
  async closed(
    q: Execute,
    r: {
      rentalId: string;
      status: 'completed' | 'cancelled' | 'lost';
      paymentStatus: RentalPaymentStatus;
      at: number;
      returnedAt?: number;
      returnStationSn?: string | null;
      returnSlot?: number | null;
      usageMinor: number;
      fineMinor: number;
      lostMinor: number;
      dueMinor: number;
    },
  ): Promise<void> {
    await q(
      `update rentals set status = ?, payment_status = ?, returned_at = ?, return_station_sn = ?, return_slot_index = ?, usage_minor = ?, fine_minor = ?, lost_minor = ?,
             due_minor = ?, ended_at = ?, updated_at = now() where id = ?`,
      [
        r.status,
        r.paymentStatus,
        date(r.returnedAt),
        r.returnStationSn ?? null,
        r.returnSlot ?? null,
        r.usageMinor,
        r.fineMinor,
        r.lostMinor,
        r.dueMinor,
        date(r.at),
        r.rentalId,
      ],
    );
  },

  /**
   * A failed rental flagged for admins (review.ts). `eject_unconfirmed` never replaces a reason
   * already recorded; `ejected_after_failure` (the bay let the power bank go) always wins.
   */
  async flagged(q: Execute, rentalId: string, reason: ReviewReason, at: number): Promise<void> {
    const onlyIfUnflagged = reason === 'eject_unconfirmed' ? ' and review_reason is null' : '';
    await q(`update rentals set review_reason = ?, review_at = ?, updated_at = now() where id = ? and status = 'failed'${onlyIfUnflagged}`, [
      reason,
      date(at),
      rentalId,
    ]);
  },

  /** A power bank that left with a failed rental's user came back: the rental gets its return (the first one only). */
  async returnedAfterFailure(q: Execute, rentalId: string, r: { at?: Date | string; stationSn: string; slot: number | null }): Promise<void> {
    if (r.at === undefined) {
      await q(`update rentals set returned_at = now(), return_station_sn = ?, return_slot_index = ?, updated_at = now() where id = ?`, [
        r.stationSn,
        r.slot,
        rentalId,
      ]);
    } else {
      await q(`update rentals set returned_at = ?, return_station_sn = ?, return_slot_index = ? where id = ? and returned_at is null`, [
        r.at,
        r.stationSn,
        r.slot,
        rentalId,
      ]);
    }
  },

  async duePaid(q: Execute, rentalId: string): Promise<void> {
    await q(`update rentals set payment_status = 'paid', due_paid_at = now(), updated_at = now() where id = ?`, [rentalId]);
  },

  /** An admin's decision on a review, once: returns when it was recorded, or null when there was nothing open to resolve. */
  async reviewResolved(q: Execute, rentalId: string, r: { resolution: ReviewResolution; note?: string; adminId: string }): Promise<Date | null> {
    const rows = await q(
      `update rentals set review_resolution = ?, review_note = ?, review_resolved_at = now(), review_resolved_by = ?, updated_at = now()
       where id = ? and review_reason is not null and review_resolved_at is null returning review_resolved_at`,
      [r.resolution, r.note ?? null, r.adminId, rentalId],
    );
    return rows.length ? new Date(rows[0].review_resolved_at as string) : null;
  },

  /** Parked: the workflow cannot go on by itself (the reason and step); the status it had is kept for a retry. */
  async needsAttention(q: Execute, rentalId: string, r: { reason: string; step: string; at: number }): Promise<void> {
    await q(
      `update rentals set attention_prev_status = case when status = 'needs_attention' then attention_prev_status else status end, status = 'needs_attention',
         attention_reason = ?, attention_step = ?, attention_at = ?, updated_at = now() where id = ?`,
      [r.reason.slice(0, 500), r.step.slice(0, 64), date(r.at), rentalId],
    );
  },

  /** An admin asked for a retry: back to the status it had. */
  async attentionCleared(q: Execute, rentalId: string): Promise<void> {
    await q(
      `update rentals set status = attention_prev_status, attention_reason = null, attention_step = null, attention_at = null, attention_prev_status = null,
         updated_at = now() where id = ? and status = 'needs_attention'`,
      [rentalId],
    );
  },

  /** An admin closed a parked rental by hand: `resolved`, with who and why. No money moves. */
  async resolvedByAdmin(q: Execute, rentalId: string, r: { by: string; note?: string; at: number }): Promise<void> {
    await q(
      `update rentals set status = 'resolved', attention_resolved_by = ?, attention_resolved_at = ?, attention_note = ?, ended_at = coalesce(ended_at, ?), updated_at = now()
       where id = ? and status = 'needs_attention'`,
      [r.by, date(r.at), r.note?.slice(0, 500) ?? null, date(r.at), rentalId],
    );
  },
};
