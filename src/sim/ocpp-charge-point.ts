import { RPCClient } from 'ocpp-rpc';

export interface ChargePointOptions {
  /** The central system, e.g. ws://127.0.0.1:9220/ocpp */
  endpoint: string;
  deviceNumber: string;
  password: string;
  /** Watts the car draws while charging. */
  powerW?: number;
  /** How often MeterValues are sent while charging. */
  meterIntervalMs?: number;
  /** Simulated charging time per meter interval (a fast clock for demos and tests): default = real time. */
  simulatedMsPerInterval?: number;
  /** Accept RemoteStartTransaction but never start (a car that is not plugged in). */
  neverStart?: boolean;
  /** Unplug this long after the transaction stopped (the waiting time). */
  unplugAfterMs?: number;
  /** Operator commands this charger refuses (`Rejected`) or never answers (`silent`: the central system times out). */
  refuse?: Partial<Record<'ChangeAvailability' | 'Reset', 'Rejected' | 'silent'>>;
}

/**
 * An OCPP 1.6-J charge point with one connector: boots, reports Available, accepts a remote start
 * (Preparing → StartTransaction → Charging), sends MeterValues (Energy.Active.Import.Register, Wh)
 * every interval, stops on RemoteStopTransaction (StopTransaction, Finishing, then Available when
 * the cable leaves). It can fault or drop its connection.
 */
export class OcppChargePoint {
  readonly client: RPCClient;
  /** The energy register, Wh. */
  meterWh = 1_000_000;
  transactionId: number | null = null;
  private timer?: NodeJS.Timeout;

  constructor(private readonly opts: ChargePointOptions) {
    this.client = new RPCClient({
      endpoint: opts.endpoint,
      identity: opts.deviceNumber,
      password: opts.password,
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
    } as any);
    this.client.handle('RemoteStartTransaction', async ({ params }: any) => {
      if (this.transactionId !== null) return { status: 'Rejected' };
      if (!this.opts.neverStart) setImmediate(() => void this.startTransaction(params.idTag).catch(() => undefined));
      return { status: 'Accepted' };
    });
    this.client.handle('RemoteStopTransaction', async ({ params }: any) => {
      if (params.transactionId !== this.transactionId) return { status: 'Rejected' };
      setImmediate(() => void this.stopTransaction('Remote').catch(() => undefined));
      return { status: 'Accepted' };
    });
    this.client.handle('ChangeAvailability', async ({ params }: any) => {
      const refused = await this.refused('ChangeAvailability');
      if (refused) return refused;
      if (this.transactionId !== null) return { status: 'Scheduled' };
      this.available = params.type === 'Operative';
      setImmediate(() => void this.status(this.available ? 'Available' : 'Unavailable').catch(() => undefined));
      return { status: 'Accepted' };
    });
    this.client.handle('Reset', async ({ params }: any) => {
      const refused = await this.refused('Reset');
      if (refused) return refused;
      setImmediate(() => void this.reboot(params.type === 'Hard' ? 'HardReset' : 'SoftReset').catch(() => undefined));
      return { status: 'Accepted' };
    });
  }

  /** Whether the connector is operative (ChangeAvailability). */
  available = true;
  /** Boots so far (a Reset boots again). */
  boots = 0;

  private async refused(action: 'ChangeAvailability' | 'Reset'): Promise<{ status: 'Rejected' } | undefined> {
    const how = this.opts.refuse?.[action];
    if (how === 'silent') await new Promise(() => undefined); // never answers
    return how === 'Rejected' ? { status: 'Rejected' } : undefined;
  }

  /** A Reset: the session (if any) stops, the charger boots again and reports its connector. */
  private async reboot(reason: string): Promise<void> {
    await this.stopTransaction(reason);
    await this.boot();
  }

  private async boot(): Promise<void> {
    const boot: any = await this.client.call('BootNotification', { chargePointVendor: 'stationflow-sim', chargePointModel: 'AC22' });
    if (boot.status !== 'Accepted') throw new Error(`boot ${boot.status}`);
    this.boots += 1;
    await this.status(this.available ? 'Available' : 'Unavailable');
  }

  private status(status: string, errorCode = 'NoError') {
    return this.client.call('StatusNotification', { connectorId: 1, errorCode, status, timestamp: new Date().toISOString() });
  }

  async connect(): Promise<void> {
    await this.client.connect();
    await this.boot();
  }

  private async startTransaction(idTag: string): Promise<void> {
    await this.status('Preparing');
    const r: any = await this.client.call('StartTransaction', { connectorId: 1, idTag, meterStart: this.meterWh, timestamp: new Date().toISOString() });
    if (r.idTagInfo.status !== 'Accepted') return void (await this.status('Available'));
    this.transactionId = r.transactionId;
    await this.status('Charging');
    const interval = this.opts.meterIntervalMs ?? 5000;
    const perTick = ((this.opts.powerW ?? 22_000) * (this.opts.simulatedMsPerInterval ?? interval)) / 3_600_000;
    this.timer = setInterval(() => {
      this.meterWh += Math.round(perTick);
      void this.sendMeter().catch(() => undefined);
    }, interval);
  }

  async sendMeter(): Promise<void> {
    if (this.transactionId === null) return;
    await this.client.call('MeterValues', {
      connectorId: 1,
      transactionId: this.transactionId,
      meterValue: [
        { timestamp: new Date().toISOString(), sampledValue: [{ value: String(this.meterWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] },
      ],
    });
  }

  async stopTransaction(reason = 'Local'): Promise<void> {
    if (this.transactionId === null) return;
    clearInterval(this.timer);
    const transactionId = this.transactionId;
    this.transactionId = null;
    await this.client.call('StopTransaction', { transactionId, meterStop: this.meterWh, timestamp: new Date().toISOString(), reason });
    await this.status('Finishing');
    setTimeout(() => void this.status('Available').catch(() => undefined), this.opts.unplugAfterMs ?? 0);
  }

  async fault(): Promise<void> {
    await this.status('Faulted', 'GroundFailure');
  }

  /** The connection drops (no close handshake); the meter keeps its count. */
  async disconnect(): Promise<void> {
    clearInterval(this.timer);
    await this.client.close({ force: true });
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.client.close({ force: true }).catch(() => undefined);
  }
}
