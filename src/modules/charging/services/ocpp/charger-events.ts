import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { logger } from '../../../../kernel/logger';
import { executor } from '../../../../kernel/sql';
import { chargerState } from '../../rules/bbox';
import { chargingWorkflowId, connectionSignal, meterSignal, startedSignal, statusSignal, stoppedSignal } from '../../workflows/definitions';
import { purchaseIdTag } from '../../activities/charging.activities';

const OPEN = `('starting', 'charging', 'finishing')`;
type Handle = ReturnType<Client['workflow']['getHandle']>;

/** What the OCPP process does with a charger's messages: the charger's row, and signals to its open session. */
export class ChargerEvents {
  private readonly exec;

  constructor(private readonly deps: { orm: MikroORM; temporal: Client }) {
    this.exec = executor(deps.orm);
  }

  async charger(deviceNumber: string): Promise<{ id: string; password_hash: string } | undefined> {
    const [row] = await this.exec(`select id, password_hash from ev_chargers where device_number = ?`, [deviceNumber]);
    return row as { id: string; password_hash: string } | undefined;
  }

  private async openPurchase(deviceNumber: string): Promise<{ id: string; status: string; transaction_id: number | null } | undefined> {
    const [row] = await this.exec(
      `select p.id, p.status, p.transaction_id from ev_purchases p join ev_chargers c on c.id = p.charger_id where c.device_number = ? and p.status in ${OPEN}`,
      [deviceNumber],
    );
    return row as { id: string; status: string; transaction_id: number | null } | undefined;
  }

  private async signal(purchaseId: string, send: (h: Handle) => Promise<void>): Promise<void> {
    await send(this.deps.temporal.workflow.getHandle(chargingWorkflowId(purchaseId))).catch((err) =>
      logger.warn({ err, purchaseId }, 'ocpp: signal not delivered'),
    );
  }

  private async setState(deviceNumber: string, patch: { connected?: boolean; ocppStatus?: string }): Promise<void> {
    const [c] = await this.exec(
      `update ev_chargers set connected = coalesce(?, connected), ocpp_status = coalesce(?, ocpp_status), last_seen_at = now() where device_number = ? returning connected, repair, ocpp_status`,
      [patch.connected ?? null, patch.ocppStatus ?? null, deviceNumber],
    );
    // Written only while the row still holds what the state was derived from: a concurrent change
    // (the connection and the first StatusNotification arrive together) writes its own, later state.
    if (c)
      await this.exec(`update ev_chargers set state = ? where device_number = ? and connected = ? and repair = ? and ocpp_status is not distinct from ?`, [
        chargerState({ connected: c.connected, repair: c.repair, ocppStatus: c.ocpp_status }),
        deviceNumber,
        c.connected,
        c.repair,
        c.ocpp_status,
      ]);
  }

  async connection(deviceNumber: string, connected: boolean): Promise<void> {
    await this.setState(deviceNumber, { connected });
    const open = await this.openPurchase(deviceNumber);
    if (open) await this.signal(open.id, (h) => h.signal(connectionSignal, { connected }));
  }

  async status(deviceNumber: string, connectorId: number, status: string): Promise<void> {
    if (connectorId > 1) return; // one connector per charger in this product
    await this.setState(deviceNumber, { ocppStatus: status });
    const open = await this.openPurchase(deviceNumber);
    if (open) await this.signal(open.id, (h) => h.signal(statusSignal, { status }));
  }

  /** Accepted only for the idTag of the charger's session that is starting; the transaction id is ours. */
  async startTransaction(deviceNumber: string, idTag: string, meterStart: number): Promise<{ transactionId: number; accepted: boolean }> {
    const open = await this.openPurchase(deviceNumber);
    const [{ id }] = await this.exec(`select nextval('ev_ocpp_transaction_seq')::int as id`, []);
    if (!open || purchaseIdTag(open.id) !== idTag) return { transactionId: id, accepted: false };
    await this.signal(open.id, (h) => h.signal(startedSignal, { transactionId: id, meterStart }));
    return { transactionId: id, accepted: true };
  }

  async meter(deviceNumber: string, transactionId: number | undefined, wh: number): Promise<void> {
    const open = await this.openPurchase(deviceNumber);
    if (open && (transactionId === undefined || open.transaction_id === null || open.transaction_id === transactionId))
      await this.signal(open.id, (h) => h.signal(meterSignal, { wh }));
  }

  async stopTransaction(deviceNumber: string, transactionId: number, meterStop: number, reason?: string): Promise<void> {
    const open = await this.openPurchase(deviceNumber);
    if (open) await this.signal(open.id, (h) => h.signal(stoppedSignal, { meterStop, reason }));
    else logger.info({ deviceNumber, transactionId }, 'ocpp: StopTransaction of no open session');
  }

  async authorize(deviceNumber: string, idTag: string): Promise<boolean> {
    const open = await this.openPurchase(deviceNumber);
    return Boolean(open && purchaseIdTag(open.id) === idTag);
  }
}
