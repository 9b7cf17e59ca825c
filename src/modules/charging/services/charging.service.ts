import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { surfaceProfile, type Config } from '../../../config';
import { AppError, Errors } from '../../../kernel/errors';
import { executor, inTransaction, isUniqueViolation } from '../../../kernel/sql';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { LedgerService, userWallet } from '../../ledger';
import { chargingWorkflowId, finishSignal, type ChargingWorkflow } from '../workflows/definitions';
import { newChargerId } from './charger-credentials';

const OPEN = `('starting', 'charging', 'finishing')`;
const HEX24 = /^[0-9a-f]{24}$/;

/** Starting and finishing charging sessions, and the driver's feedback on a purchase. */
export class ChargingService {
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; config: Config }) {}

  /**
   * Checks the charger is Idle and the wallet (less other sessions' holds) covers EV_MIN_BALANCE_MINOR,
   * holds it on a new purchase (one open per user and per charger) and starts `charging:<id>`.
   */
  async start(userId: string, chargerId: string): Promise<{ id: string }> {
    const { config, orm, temporal } = this.deps;
    if (!HEX24.test(chargerId)) throw Errors.notFound('Charger');
    const id = newChargerId();
    const currency = surfaceProfile(config, 'ev').currency;
    const ledger = new LedgerService(orm);
    const c = await inTransaction(orm, async (tx) => {
      const [charger] = await tx(`select id, device_number, price, waiting_price, state from ev_chargers where id = ? for update`, [chargerId]);
      if (!charger) throw Errors.notFound('Charger');
      const [mine] = await tx(`select 1 from ev_purchases where user_id = ? and status in ${OPEN}`, [userId]);
      if (mine) throw Errors.conflict('SESSION_OPEN', 'You already have a session open; finish it first');
      if (charger.state !== 'Idle') throw new AppError('CHARGER_NOT_AVAILABLE', `This charger is ${charger.state}`, 409);
      const wallet = await ledger.balance(userWallet(userId, currency), tx);
      const [held] = await tx(`select coalesce(sum(hold_amount), 0)::bigint as held from ev_purchases where user_id = ? and status in ${OPEN}`, [userId]);
      const available = wallet - Number(held.held);
      if (available < config.EV_MIN_BALANCE_MINOR)
        throw new AppError('INSUFFICIENT_BALANCE', `A session needs at least ${config.EV_MIN_BALANCE_MINOR / 100} MNT on the balance`, 402, {
          balance: available / 100,
        });
      await tx(`insert into ev_purchases (id, user_id, charger_id, status, hold_amount, price, waiting_price) values (?, ?, ?, 'starting', ?, ?, ?)`, [
        id,
        userId,
        chargerId,
        available,
        charger.price,
        charger.waiting_price,
      ]);
      return { ...charger, hold: available };
    }).catch((err) => {
      if (isUniqueViolation(err)) throw Errors.conflict('SESSION_OPEN', 'A session is already open for this charger or this user');
      throw err;
    });
    await temporal.workflow.start<ChargingWorkflow>('chargingWorkflow', {
      workflowId: chargingWorkflowId(id),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [
        {
          purchaseId: id,
          userId,
          chargerId,
          deviceNumber: c.device_number,
          price: c.price,
          waitingPrice: c.waiting_price,
          holdMinor: c.hold,
          startTimeoutSeconds: config.EV_START_TIMEOUT_SECONDS,
          disconnectGraceSeconds: config.EV_DISCONNECT_GRACE_SECONDS,
          waitingCapMinutes: config.EV_WAITING_CAP_MINUTES,
        },
      ],
      typedSearchAttributes: startAttributes({ userId, surface: 'ev', status: 'starting' }),
    });
    return { id };
  }

  /** The driver's open session on this charger ends (RemoteStopTransaction); its purchase id. */
  async finish(userId: string, chargerId: string): Promise<{ id: string }> {
    const [p] = await executor(this.deps.orm)(`select id from ev_purchases where user_id = ? and charger_id = ? and status in ${OPEN}`, [userId, chargerId]);
    if (!p) throw Errors.notFound('Open session on this charger');
    await this.deps.temporal.workflow.getHandle(chargingWorkflowId(p.id)).signal(finishSignal);
    return { id: p.id };
  }

  /** Owner only, after the session ended; a later call replaces the earlier feedback. */
  async feedback(userId: string, purchaseId: string, fb: { score: number; description?: string }): Promise<void> {
    const exec = executor(this.deps.orm);
    const [p] = HEX24.test(purchaseId) ? await exec(`select user_id, status from ev_purchases where id = ?`, [purchaseId]) : [];
    if (!p || p.user_id !== userId) throw Errors.notFound('Purchase');
    if (p.status !== 'billed') throw new AppError('PURCHASE_NOT_FINISHED', 'Feedback can be given once the session is finished', 409);
    await exec(`update ev_purchases set feedback_score = ?, feedback_description = ?, feedback_at = now() where id = ?`, [
      fb.score,
      fb.description ?? null,
      purchaseId,
    ]);
  }
}
