import { Context } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { NotificationService, type NotificationChannel, type NotificationMessage } from '../../engagement';
import type { RentalPaymentStatus, RentalStatus } from '../rules/status';
import { createRentalMoneyActivities } from './rental-money.activities';
import { recordRentalEvent } from '../services/timeline';
import { powerBankInventory, stationReader } from '../../stations';
import { rentalStore } from '../services/rental-store';
import type { Execute } from '../../../kernel/sql';

export interface RentalActivityDeps {
  orm: MikroORM;
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

/**
 * Database side of the `rental:<id>` workflow: the rental row, its timeline, inventory and
 * notifications. Times are the workflow's (passed in), so skipped time and replays agree.
 * Each activity is idempotent: plain updates to a target state, events and ledger entries keyed.
 */
export function createRentalActivities({ orm }: RentalActivityDeps) {
  const conn = () => orm.em.getConnection();
  const inventory = powerBankInventory(orm);
  const stations = stationReader(orm);
  const run: Execute = (sql, params = []) => conn().execute(sql, params, 'run');

  return {
    ...createRentalMoneyActivities({ orm }),
    /** The kiosk acked the eject: the rental runs, the power bank leaves its slot. */
    async rentalEjected(input: {
      rentalId: string;
      stationSn: string;
      slot: number;
      powerBankSn: string;
      startedAt: number;
      dueAt: number;
      paidMinor: number;
      paymentStatus: RentalPaymentStatus;
    }): Promise<void> {
      await conn().transactional(async (trx) => {
        const q: Execute = (sql, params = []) => conn().execute(sql, params, 'run', trx);
        await rentalStore.ejected(q, input);
        await inventory.ejected(q, input.stationSn, input.slot, input.powerBankSn, input.rentalId);
        await recordRentalEvent(q, {
          rentalId: input.rentalId,
          type: 'ejected',
          key: 'ejected',
          at: input.startedAt,
          data: { station_sn: input.stationSn, slot: input.slot, power_bank_sn: input.powerBankSn },
        });
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

    /** No ejection: the rental ends as failed; inventory was never touched. */
    async rentalFailed(input: { rentalId: string; code: string; reason: string; at: number; refunded: boolean }): Promise<void> {
      await rentalStore.failed(run, input);
      await recordRentalEvent(run, { rentalId: input.rentalId, type: 'failed', key: 'failed', at: input.at, data: { code: input.code, reason: input.reason } });
    },

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
    async rentalClosed(input: {
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
    }): Promise<void> {
      await conn().transactional(async (trx) => {
        const q: Execute = (sql, params = []) => conn().execute(sql, params, 'run', trx);
        await rentalStore.closed(q, input);
        if (input.status === 'lost') await inventory.lost(q, input.powerBankSn);
        await recordRentalEvent(q, input.event);
      });
    },

    /**
     * A timeline event plus the user's notification: the in-app row and the FCM push (its own
     * `notify:<id>` workflow), through the notifications context; the dedupe key makes a retry a no-op.
     */
    async notifyRental(input: { event: RentalEventInput; notification: RentalNotification }): Promise<void> {
      await recordRentalEvent(run, input.event);
      const ctx = Context.current();
      const n = input.notification;
      await new NotificationService({ orm, temporal: ctx.client, taskQueue: ctx.info.taskQueue }).notify(n.userId, n.message, n.channels, {
        dedupeKey: n.dedupeKey,
      });
    },
  };
}

export type RentalActivities = ReturnType<typeof createRentalActivities>;
