import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { AppError, Errors } from '../../../kernel/errors';
import { POINTS_CURRENCY, systemAccount, userPoints, userWallet, splitPayment, type PaymentMode, LedgerService, type Sql } from '../../ledger';
import { formatMinor, toInt } from '../../../kernel/money';
import { NotificationService } from '../../engagement';
import type { RentalDuesReader } from './payment-options.service';
import { recordRentalEvent } from './timeline';
import { insufficient } from './workflow-errors';
import { rentalStore } from './rental-store';

export const duePaymentKey = (rentalId: string) => `due-payment:${rentalId}`;

/**
 * Rental dues. A settlement that points and wallet cannot cover leaves the wallet negative (the
 * ledger's explicit due) and marks the rental `due`, which blocks new rentals. A top-up fills the
 * negative wallet first; `pay-due` then pays what is still negative with points (as the payment
 * mode allows) and clears the block. Nothing is paid twice: one `due-payment:<rentalId>` entry.
 */
export class RentalDuesService implements RentalDuesReader {
  private readonly ledger: LedgerService;

  /** `currency`: the product's wallet currency, the one dues are owed in. */
  constructor(private readonly deps: { orm: MikroORM; currency: string; temporal?: Client; taskQueue?: string }) {
    this.ledger = new LedgerService(deps.orm);
  }

  private get conn() {
    return this.deps.orm.em.getConnection();
  }

  /** What is still to pay on the rental: its due, as far as the wallet is still negative. */
  private outstanding(dueMinor: number, walletMinor: number) {
    return Math.min(dueMinor, Math.max(0, -walletMinor));
  }

  /** For calculate-options (scenario post_payment, rental_id). */
  async dueFor(rentalId: string, userId: string): Promise<{ amountMinor: number } | null> {
    const [row] = await this.conn.execute(`select payment_status, due_minor from rentals where id = ? and user_id = ?`, [rentalId, userId]);
    if (!row) return null;
    if (row.payment_status !== 'due') return { amountMinor: 0 };
    return { amountMinor: this.outstanding(toInt(row.due_minor), (await this.ledger.balances(userId, this.deps.currency)).walletMinor) };
  }

  async payDue(userId: string, rentalId: string, mode: PaymentMode) {
    const result = await this.conn.transactional(async (trx) => {
      const q: Sql = (sql, params = []) => this.conn.execute(sql, params, 'all', trx);
      const [row] = await q(`select id, user_id, payment_status, due_minor, due_paid_at from rentals where id = ? for update`, [rentalId]);
      if (!row || row.user_id !== userId) throw Errors.notFound('Rental');
      if (row.payment_status !== 'due') {
        if (row.due_paid_at) return { rentalId, paidMinor: 0, pointsUsed: 0, already: true, dueMinor: toInt(row.due_minor) };
        throw new AppError('NO_OUTSTANDING_DUE', 'This rental has nothing to pay', 409, { rental_id: rentalId, payment_status: row.payment_status });
      }
      const balances = await this.ledger.balances(userId, this.deps.currency, q);
      const outstanding = this.outstanding(toInt(row.due_minor), balances.walletMinor);
      let pointsUsed = 0;
      if (outstanding > 0) {
        // The wallet is still negative, so only points can pay the rest.
        const split = splitPayment(outstanding, 0, balances.points, mode);
        if (!split.sufficient) throw insufficient(split.shortfallMinor, { rental_id: rentalId, due_minor: outstanding });
        pointsUsed = split.pointsUsed;
        await this.ledger.post(
          {
            key: duePaymentKey(rentalId),
            type: 'due_payment',
            userId,
            description: 'Rental due paid with points',
            metadata: { rental_id: rentalId, mode },
            postings: [
              { account: userPoints(userId), amountMinor: -split.pointsUsed },
              { account: systemAccount('promotions', POINTS_CURRENCY), amountMinor: split.pointsUsed },
              { account: systemAccount('promotions', this.deps.currency), amountMinor: -split.pointsValueMinor },
              { account: userWallet(userId, this.deps.currency), amountMinor: split.pointsValueMinor },
            ],
          },
          q,
        );
      }
      await rentalStore.duePaid(q, rentalId);
      await recordRentalEvent(q, {
        rentalId,
        type: 'due_paid',
        key: 'due-paid',
        at: Date.now(),
        data: { due_minor: toInt(row.due_minor), points_used: pointsUsed, mode },
      });
      return { rentalId, paidMinor: toInt(row.due_minor), pointsUsed, already: false, dueMinor: toInt(row.due_minor) };
    });
    if (!result.already) await this.notifyPaid(userId, rentalId, result.dueMinor);
    const balances = await this.ledger.balances(userId, this.deps.currency);
    return {
      rental_id: rentalId,
      payment_status: 'paid',
      due_cleared: true,
      already_paid: result.already,
      amount: formatMinor(result.dueMinor),
      amount_minor: result.dueMinor,
      points_used: result.pointsUsed,
      balances: { wallet: formatMinor(Math.max(0, balances.walletMinor)), wallet_minor: balances.walletMinor, points: balances.points },
    };
  }

  private async notifyPaid(userId: string, rentalId: string, dueMinor: number) {
    if (!this.deps.temporal || !this.deps.taskQueue) return;
    await new NotificationService({ orm: this.deps.orm, temporal: this.deps.temporal, taskQueue: this.deps.taskQueue }).notify(
      userId,
      {
        type: 'payment_status',
        title: 'Dues paid',
        body: `Your ${this.deps.currency} ${formatMinor(dueMinor, this.deps.currency)} rental due is paid. You can rent again.`,
        data: { rental_id: rentalId },
      },
      ['in_app'],
      { dedupeKey: `rental:${rentalId}:due-paid` },
    );
  }
}
