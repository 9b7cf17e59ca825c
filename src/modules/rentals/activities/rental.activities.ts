import { Context } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { rowCount, type Execute } from '../../../kernel/sql';
import { NotificationService, type NotificationChannel, type NotificationMessage, type PushDelivery } from '../../engagement';
import { powerBankInventory, stationHoldings, stationReader } from '../../stations';
import type { RentalPaymentStatus, RentalStatus } from '../rules/status';
import { rentalStore } from '../services/rental-store';
import { recordRentalEvent } from '../services/timeline';
import { createRentalAttentionActivities } from './rental-attention.activities';
import { createRentalMoneyActivities } from './rental-money.activities';

export interface RentalActivityDeps {
  orm: MikroORM;
  /**
   * Sends a rider's push in the rental's own activity (wired by the worker to engagement's
   * `sendPush`) instead of a `notify:<id>` workflow per notification; without it, that workflow.
   */
  deliverPush?: PushDelivery;
}

/** A user notification of a rental (Rental Status, Time Alert, Fines/Dues), once per dedupe key. */
export interface RentalNotification {
  userId: string;
  message: NotificationMessage;
  channels: NotificationChannel[];
  dedupeKey: string;
}

export interface RentalEventInput {
  rentalId: string;
  type: string;
  key: string;
  at: number;
  data?: Record<string, unknown>;
}

export interface RentalEjectedInput {
  rentalId: string;
  stationSn: string;
  slot: number;
  powerBankSn: string;
  startedAt: number;
  dueAt: number;
  paidMinor: number;
  paymentStatus: RentalPaymentStatus;
}

export interface RentalClosedInput {
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
  powerBankSn: string;
  event: RentalEventInput;
}

/** SQL in one transaction of the connection (or on its own), for writes that belong together. */
function sqlOf(orm: MikroORM) {
  const conn = () => orm.em.getConnection();
  const run: Execute = (sql, params = []) => conn().execute(sql, params, 'run');
  const transaction = <T>(fn: (q: Execute) => Promise<T>) => conn().transactional((trx) => fn((sql, params = []) => conn().execute(sql, params, 'run', trx)));
  return { run, transaction };
}

/** The start of a rental: ejected (the power bank leaves its bay) or failed (nothing moved). */
function rentalStartActivities(orm: MikroORM) {
  const { run, transaction } = sqlOf(orm);
  const inventory = powerBankInventory(orm);
  const stations = stationReader(orm);
  return {
    /**
     * The kiosk acked the eject: the rental runs, the power bank leaves its slot. Only once: an
     * attempt that comes again after the rental moved on (a paused worker's, resumed after its
     * retry ran and the power bank was returned) would mark a docked power bank rented again.
     */
    async rentalEjected(input: RentalEjectedInput): Promise<void> {
      await transaction(async (q) => {
        if (await rentalStore.ejected(q, input)) await inventory.ejected(q, input.stationSn, input.slot, input.powerBankSn, input.rentalId);
        const data = { station_sn: input.stationSn, slot: input.slot, power_bank_sn: input.powerBankSn };
        await recordRentalEvent(q, { rentalId: input.rentalId, type: 'ejected', key: 'ejected', at: input.startedAt, data });
      });
    },

    /**
     * After an eject with no ack: has the bay let the power bank go? The kiosk's own slot event
     * (or heartbeat), recorded by the MQTT bridge, shows the bay without it.
     */
    async bayReleased(input: { stationSn: string; slot: number; powerBankSn: string }): Promise<boolean> {
      const bay = await stations.bay(input.stationSn, input.slot);
      return !!bay && bay.powerBankSn !== input.powerBankSn;
    },

    /**
     * A return is believed only if the station that sent it holds the power bank now (docked there in
     * the inventory), or if the bridge recorded this very event as this rental's return. The second
     * keeps the answer once given: a local activity runs again when its workflow task is lost (a
     * signal arriving as the run completes fails the task: UnhandledCommand), and by then the power
     * bank may be out with the next rider; answering no then left the run waiting for ever (fault suite).
     */
    async stationHoldsPowerBank(input: { stationSn: string; powerBankSn: string; rentalId?: string; eventId?: string }): Promise<boolean> {
      if (await stationHoldings(orm).holds(input.stationSn, input.powerBankSn)) return true;
      if (!input.rentalId || !input.eventId) return false;
      const recorded = await run(
        `select 1 from power_bank_returns where station_sn = ? and event_id = ? and power_bank_sn = ? and rental_id = ? and outcome = 'matched'`,
        [input.stationSn, input.eventId.slice(0, 128), input.powerBankSn, input.rentalId],
      );
      return rowCount(recorded) > 0;
    },

    /** No ejection: the rental ends as failed; inventory was never touched. */
    async rentalFailed(input: { rentalId: string; code: string; reason: string; at: number; refunded: boolean }): Promise<void> {
      await rentalStore.failed(run, input);
      await recordRentalEvent(run, { rentalId: input.rentalId, type: 'failed', key: 'failed', at: input.at, data: { code: input.code, reason: input.reason } });
    },
  };
}

/** A running rental: status changes, extensions, the end, and what the rider is told. */
function rentalLifeActivities(orm: MikroORM, deliverPush?: PushDelivery) {
  const { run, transaction } = sqlOf(orm);
  const inventory = powerBankInventory(orm);
  return {
    /** overdue / cancelling / back to active (a lapsed cancel), with the timeline event. */
    async rentalStatusChanged(input: { rentalId: string; status: RentalStatus; event: RentalEventInput; cancelRequestedAt?: number | null }): Promise<void> {
      await rentalStore.statusChanged(run, input);
      await recordRentalEvent(run, input.event);
    },

    async rentalExtended(input: {
      rentalId: string;
      dueAt: number;
      extensions: number;
      priceCapMinor: number;
      paidMinor: number;
      event: RentalEventInput;
    }): Promise<void> {
      await rentalStore.extended(run, input);
      await recordRentalEvent(run, input.event);
    },

    /** The end: completed, cancelled or lost, with what was charged and what is still owed. */
    async rentalClosed(input: RentalClosedInput): Promise<void> {
      await transaction(async (q) => {
        await rentalStore.closed(q, input);
        if (input.status === 'lost') await inventory.lost(q, input.powerBankSn);
        await recordRentalEvent(q, input.event);
      });
    },

    /**
     * A timeline event plus the user's notification: the in-app row and the FCM push, through the
     * notifications context; the dedupe key makes a retry a no-op. The push is sent right here
     * (`deliverPush`), and only a send that fails goes to its own `notify:<id>` workflow.
     */
    async notifyRental(input: { event: RentalEventInput; notification: RentalNotification }): Promise<void> {
      await recordRentalEvent(run, input.event);
      const ctx = Context.current();
      const n = input.notification;
      const notifications = new NotificationService({ orm, temporal: ctx.client, taskQueue: ctx.info.taskQueue, deliverNow: deliverPush });
      await notifications.notify(n.userId, n.message, n.channels, { dedupeKey: n.dedupeKey });
    },
  };
}

/**
 * Database side of the `rental:<id>` workflow: the rental row, its timeline, inventory and
 * notifications. Times are the workflow's (passed in), so skipped time and replays agree.
 * Each activity is idempotent: plain updates to a target state, events and ledger entries keyed.
 */
export function createRentalActivities({ orm, deliverPush }: RentalActivityDeps) {
  return {
    ...createRentalMoneyActivities({ orm }),
    ...rentalStartActivities(orm),
    ...rentalLifeActivities(orm, deliverPush),
    ...createRentalAttentionActivities({ orm }),
  };
}

export type RentalActivities = ReturnType<typeof createRentalActivities>;
