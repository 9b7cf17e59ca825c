import type { MikroORM } from '@mikro-orm/postgresql';
import { surfaceProfile, type Config } from '../../../config';
import { logger } from '../../../kernel/logger';
import { executor, inTransaction } from '../../../kernel/sql';
import { LedgerService, systemAccount, userWallet } from '../../ledger';
import { sessionCost } from '../rules/billing';
import { toTugrik } from '../services/charger-query';
import { NatsPublisher } from '../services/nats-auth';
import { ocppCommandTarget, sendOcppCommand } from '../services/ocpp-commands';
import { createQpayActivities } from './qpay.activities';

export interface ChargingActivityDeps {
  orm: MikroORM;
  config: Config;
}

/** OCPP 1.6 idTag is CiString20: the purchase id's first 20 characters name the session at the charger. */
export const purchaseIdTag = (purchaseId: string) => purchaseId.slice(0, 20);

/** The charging session's side effects: charger commands, the purchase row, the bill, NATS messages. */
export function createChargingActivities({ orm, config }: ChargingActivityDeps) {
  const exec = executor(orm);
  const currency = surfaceProfile(config, 'ev').currency;
  const ocpp = ocppCommandTarget(config);
  const publisher = config.NATS_URL
    ? new NatsPublisher({ url: config.NATS_URL, secret: config.NATS_SECRET, topicPrefix: config.NATS_TOPIC_PREFIX })
    : undefined;
  const push = async (userId: string, message: unknown, msgId?: string) => {
    if (!publisher) return;
    await publisher.publish(userId, message, msgId).catch((err) => logger.warn({ err }, 'nats push failed'));
  };

  return {
    /** RemoteStartTransaction; false when the charger refuses or is offline (nothing to wait for). */
    async remoteStartCharging(input: { deviceNumber: string; purchaseId: string }): Promise<boolean> {
      try {
        const r = await sendOcppCommand(ocpp, input.deviceNumber, 'RemoteStartTransaction', { connectorId: 1, idTag: purchaseIdTag(input.purchaseId) });
        return r.status === 'Accepted';
      } catch (err) {
        if ((err as { type?: string }).type === 'OcppUnreachable') throw err;
        return false;
      }
    },

    async remoteStopCharging(input: { deviceNumber: string; transactionId: number }): Promise<boolean> {
      try {
        const r = await sendOcppCommand(ocpp, input.deviceNumber, 'RemoteStopTransaction', { transactionId: input.transactionId });
        return r.status === 'Accepted';
      } catch (err) {
        if ((err as { type?: string }).type === 'OcppUnreachable') throw err;
        return false; // offline: the disconnect handling takes over
      }
    },

    async recordStarted(input: { purchaseId: string; transactionId: number; meterStart: number }): Promise<void> {
      await exec(`update ev_purchases set status = 'charging', transaction_id = ?, meter_start = ?, meter_last = ? where id = ? and status = 'starting'`, [
        input.transactionId,
        input.meterStart,
        input.meterStart,
        input.purchaseId,
      ]);
    },

    /** The live session on the user's topic: energy (kWh), cost so far (MNT), state. */
    async reportProgress(input: { purchaseId: string; userId: string; meterLast: number; wh: number; cost: number }): Promise<void> {
      await exec(`update ev_purchases set meter_last = greatest(coalesce(meter_last, 0), ?) where id = ?`, [input.meterLast, input.purchaseId]);
      await push(input.userId, { charging: { id: input.purchaseId, state: 'charging', energy: input.wh / 1000, cost: toTugrik(input.cost) } });
    },

    /** Nothing was charged: the hold is released and the purchase failed. */
    async releasePurchase(input: { purchaseId: string; userId: string; reason: string }): Promise<void> {
      await exec(`update ev_purchases set status = 'failed', hold_amount = 0, stop_reason = ?, ended_at = now() where id = ? and status = 'starting'`, [
        input.reason,
        input.purchaseId,
      ]);
      await push(input.userId, { charging: { id: input.purchaseId, state: 'failed', reason: input.reason } });
    },

    billPurchase: billing(orm, currency, push),
    ...createQpayActivities(orm, config, currency, push),
  };
}

type Push = (userId: string, message: unknown) => Promise<void>;

/**
 * The bill: energy × price + waiting minutes × waitingPrice, posted as one journal entry keyed
 * `charging:<purchaseId>` (a retry finds it) and written on the purchase in the same transaction.
 */
function billing(orm: MikroORM, currency: string, push: Push) {
  const ledger = new LedgerService(orm);
  return async function billPurchase(input: {
    purchaseId: string;
    userId: string;
    meterStop: number;
    waitingMinutes: number;
    flagged: boolean;
    stopReason: string;
  }) {
    const result = await inTransaction(orm, async (tx) => {
      const [p] = await tx(`select * from ev_purchases where id = ? for update`, [input.purchaseId]);
      const wh = Math.max(0, input.meterStop - Number(p.meter_start ?? input.meterStop));
      if (p.status === 'billed') return { amount: Number(p.amount), wh };
      const amount = sessionCost({ wh, price: p.price, waitingMinutes: input.waitingMinutes, waitingPrice: p.waiting_price });
      if (amount > 0)
        await ledger.post(
          {
            key: `charging:${input.purchaseId}`,
            type: 'charging',
            userId: input.userId,
            description: `EV charging ${(wh / 1000).toFixed(2)} kWh`,
            metadata: { purchaseId: input.purchaseId, wh, waitingMinutes: input.waitingMinutes, flagged: input.flagged },
            // A meter value that arrived after the stop may take the wallet below zero: a due.
            postings: [
              { account: userWallet(input.userId, currency), amountMinor: -amount, allowNegative: true },
              { account: systemAccount('revenue', currency), amountMinor: amount },
            ],
          },
          tx,
        );
      await tx(
        `update ev_purchases set status = 'billed', hold_amount = 0, meter_stop = ?, waiting_minutes = ?, amount = ?, flagged = ?, stop_reason = ?, ended_at = now() where id = ?`,
        [input.meterStop, input.waitingMinutes, amount, input.flagged, input.stopReason, input.purchaseId],
      );
      return { amount, wh };
    });
    await push(input.userId, {
      charging: { id: input.purchaseId, state: 'finished', energy: result.wh / 1000, cost: toTugrik(result.amount), waitingMinutes: input.waitingMinutes },
    });
    return result;
  };
}

export type ChargingActivities = ReturnType<typeof createChargingActivities>;
