import mqtt, { type MqttClient } from 'mqtt';
import { topic, type Channel, type DeviceAck, type DeviceCommandMessage, type HeartbeatMessage, type SlotReport } from '../kernel/devices/protocol';
import { deviceCredentials } from '../kernel/devices/credentials';
import { KioskStateFile } from './kiosk-state';

/**
 * `drop-ack` does every command but its ack is lost on the way (the slot event still goes out);
 * `drop-event` loses only the eject's slot event (the ack arrives); `drop-ack-and-event` loses both
 * (say the connection dropped right after the latch opened), while later heartbeats report the
 * bays as they are; a repeated command's ack is lost too in both ack modes. `miss-command`: each
 * command's first delivery never reaches the kiosk (it came while the kiosk was reconnecting); a
 * repeat (same id) does.
 */
export type SimMode = 'normal' | 'fail' | 'silent' | 'drop-ack' | 'drop-event' | 'drop-ack-and-event' | 'miss-command';

export interface KioskSimOptions {
  brokerUrl: string;
  sn: string;
  slots: SlotReport[];
  /** Delay before an eject is done and acked (a real latch takes about a second). */
  ejectDelayMs?: number;
  /** Interval of the periodic heartbeat; 0 for none (only the one sent with each announce, and sendHeartbeat()). */
  heartbeatMs?: number;
  mode?: SimMode;
  /** MQTT keepalive (default 5 s): the broker publishes the last will after 1.5 × this without a packet, or as soon as the socket closes. */
  keepaliveSeconds?: number;
  /** MQTT_TOPIC_PREFIX of the backend it talks to: every topic (and `sim/<sn>/control`) goes under it. */
  topicPrefix?: string;
  /** The kiosk's own clock, stamped on what it reports (default the machine's; a test on a time-skipping server passes the server's). */
  clock?: () => number | Promise<number>;
  log?: (msg: string) => void;
  /**
   * MQTT_AUTH_SECRET of the deployment: the kiosk connects as itself (username and client id
   * `[<prefix>/]kiosk/<sn>`, password derived from it), as a provisioned kiosk would. Without it, anonymous.
   */
  authSecret?: string;
  /** CA certificate(s) (PEM) to trust for an mqtts:// broker. */
  ca?: string | Buffer;
  /** A folder for the kiosk's state file (`<sn>.json`): its bays survive a restart of the simulator. Without it, every start begins from `slots`. */
  stateDir?: string;
}

/** Why a control message (`[<prefix>/]sim/<sn>/control`) was refused; answered on `.../control/reply`. */
export class SimControlError extends Error {
  constructor(
    readonly code: 'NO_EMPTY_SLOT' | 'UNKNOWN_SLOT' | 'SLOT_OCCUPIED' | 'UNKNOWN_MODE' | 'UNKNOWN_ACTION' | 'BAD_REQUEST',
    message: string,
  ) {
    super(message);
  }
}

const SIM_MODES: readonly SimMode[] = ['normal', 'fail', 'silent', 'drop-ack', 'drop-event', 'drop-ack-and-event', 'miss-command'];

/**
 * A kiosk that speaks the hardware protocol: retained online status with an offline last will,
 * heartbeats with slot and battery levels, commands acked once per id, returns as events.
 * Tell it to fail or stay silent through `setMode` or the `[<prefix>/]sim/<sn>/control` topic.
 */
export class KioskSimulator {
  private client?: MqttClient;
  private heartbeat?: NodeJS.Timeout;
  private readonly seen = new Map<string, DeviceAck>();
  private readonly missed = new Set<string>();
  private readonly slots: SlotReport[];
  mode: SimMode;
  locked = false;

  private readonly state?: KioskStateFile;

  constructor(private readonly opts: KioskSimOptions) {
    this.state = opts.stateDir ? new KioskStateFile(opts.stateDir, opts.sn) : undefined;
    const saved = this.state?.load();
    this.slots = (saved?.slots ?? opts.slots).map((s) => ({ ...s, status: s.powerBankSn ? 'occupied' : 'empty' }));
    this.locked = saved?.locked ?? false;
    this.mode = opts.mode ?? 'normal';
  }

  /** Writes the bays and the lock to the state file (when there is one), before the change is reported. */
  private persist() {
    this.state?.save({ slots: this.slots, locked: this.locked });
  }

  get sn() {
    return this.opts.sn;
  }

  /** One of this kiosk's topics, under the topic prefix. */
  private topicOf(channel: Channel): string {
    return topic('kiosk', this.sn, channel, this.opts.topicPrefix);
  }

  private get controlTopic(): string {
    return this.opts.topicPrefix ? `${this.opts.topicPrefix}/sim/${this.sn}/control` : `sim/${this.sn}/control`;
  }

  async start(): Promise<void> {
    const { sn } = this.opts;
    const credentials = this.opts.authSecret ? deviceCredentials(this.opts.authSecret, 'kiosk', sn, this.opts.topicPrefix) : undefined;
    this.client = await mqtt.connectAsync(this.opts.brokerUrl, {
      clientId: credentials?.username ?? `kiosk-${sn}`,
      ...credentials,
      ...(this.opts.ca ? { ca: this.opts.ca } : {}),
      clean: true,
      keepalive: this.opts.keepaliveSeconds ?? 5,
      reconnectPeriod: 1000,
      will: { topic: this.topicOf('status'), payload: Buffer.from(JSON.stringify({ online: false })), qos: 1, retain: true },
    });
    this.client.on('message', (t, payload) => this.onMessage(t, payload));
    this.client.on('connect', () => {
      this.announce().catch((err: Error) => this.opts.log?.(`announce failed: ${err.message}`));
    });
    await this.client.subscribeAsync(this.topicOf('cmd'), { qos: 1 });
    // The simulator's own control topic: a broker that checks ACLs refuses it (a kiosk reads only its cmd); that is fine.
    if (!this.opts.authSecret) await this.client.subscribeAsync(this.controlTopic, { qos: 1 });
    await this.announce();
    const every = this.opts.heartbeatMs ?? 30_000;
    if (every > 0)
      this.heartbeat = setInterval(() => {
        this.sendHeartbeat().catch((err: Error) => this.opts.log?.(`heartbeat failed: ${err.message}`));
      }, every);
  }

  private async announce() {
    await this.client?.publishAsync(this.topicOf('status'), JSON.stringify({ online: true, ts: Date.now() }), { qos: 1, retain: true });
    await this.sendHeartbeat();
  }

  async sendHeartbeat(): Promise<void> {
    if (!this.client?.connected || this.mode === 'silent') return;
    const msg: HeartbeatMessage = { ts: await this.now(), slots: this.slots };
    await this.client.publishAsync(this.topicOf('heartbeat'), JSON.stringify(msg), { qos: 1 });
  }

  /** Publishes any message on one of this kiosk's own topics, over its own connection (a test's late or repeated report). */
  async publish(channel: Exclude<Channel, 'cmd'>, body: object): Promise<void> {
    await this.client!.publishAsync(this.topicOf(channel), JSON.stringify(body), { qos: 1 });
  }

  setMode(mode: SimMode) {
    this.mode = mode;
  }

  /** Every bay as the kiosk itself knows it. */
  bays(): SlotReport[] {
    return this.slots.map((s) => ({ ...s }));
  }

  /** A bay as the kiosk itself knows it (whatever reached the backend). */
  bay(index: number): SlotReport | undefined {
    const slot = this.slots.find((s) => s.index === index);
    return slot && { ...slot };
  }

  /** The kiosk's clock, stamped on every report. */
  private now(): Promise<number> {
    return Promise.resolve((this.opts.clock ?? Date.now)());
  }

  /** A power bank pushed into a bay: the kiosk reports `returned` (unless `eventLost`: it never reaches the broker; later heartbeats show the bay). */
  async returnPowerBank(powerBankSn: string, slotIndex?: number, batteryLevel = 50, opts: { eventLost?: boolean } = {}): Promise<number> {
    const slot = slotIndex !== undefined ? this.slots.find((s) => s.index === slotIndex) : this.slots.find((s) => !s.powerBankSn);
    if (!slot && slotIndex !== undefined) throw new SimControlError('UNKNOWN_SLOT', `no slot ${slotIndex} at ${this.sn}`);
    if (!slot) throw new SimControlError('NO_EMPTY_SLOT', `no empty slot at ${this.sn}`);
    if (slot.powerBankSn) throw new SimControlError('SLOT_OCCUPIED', `slot ${slot.index} at ${this.sn} holds ${slot.powerBankSn}`);
    Object.assign(slot, { powerBankSn, batteryLevel, status: 'occupied' });
    this.persist();
    if (opts.eventLost) return slot.index;
    const ts = await this.now();
    await this.client!.publishAsync(
      this.topicOf('event'),
      JSON.stringify({ type: 'returned', id: `ret-${this.sn}-${slot.index}-${Date.now()}`, slot: slot.index, powerBankSn, batteryLevel, ts }),
      { qos: 1 },
    );
    return slot.index;
  }

  private onMessage(t: string, payload: Buffer) {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(payload.toString());
    } catch {
      return;
    }
    if (t === this.controlTopic) {
      this.onControl(msg).catch((err: Error) => this.opts.log?.(`control reply failed: ${err.message}`));
      return;
    }
    this.onCommand(msg as DeviceCommandMessage).catch((err: Error) => this.opts.log?.(`command ${String(msg.id)} failed: ${err.message}`));
  }

  /**
   * A control message: `{ mode }` and / or `{ action: 'return', powerBankSn, slot? }`. Answered on
   * `<control topic>/reply` with `{ ok: true, slot? }` or `{ ok: false, error, message }` (a return to a
   * full station, an unknown slot...), echoing the request's `id` when it had one.
   */
  private async onControl(msg: Record<string, unknown>) {
    const id = typeof msg.id === 'string' ? { id: msg.id } : {};
    let reply: object;
    try {
      reply = { ...id, ok: true, ...(await this.control(msg)) };
    } catch (err) {
      const e = err instanceof SimControlError ? err : new SimControlError('BAD_REQUEST', (err as Error).message);
      this.opts.log?.(`control refused: ${e.code} ${e.message}`);
      reply = { ...id, ok: false, error: e.code, message: e.message };
    }
    await this.client?.publishAsync(`${this.controlTopic}/reply`, JSON.stringify(reply), { qos: 1 });
  }

  private async control(msg: Record<string, unknown>): Promise<object> {
    if (msg.mode !== undefined) {
      if (!SIM_MODES.includes(msg.mode as SimMode)) throw new SimControlError('UNKNOWN_MODE', `mode must be one of ${SIM_MODES.join(', ')}`);
      this.setMode(msg.mode as SimMode);
    }
    if (msg.action === undefined) return {};
    if (msg.action !== 'return') throw new SimControlError('UNKNOWN_ACTION', `unknown action ${JSON.stringify(msg.action)}`);
    if (typeof msg.powerBankSn !== 'string' || !msg.powerBankSn) throw new SimControlError('BAD_REQUEST', 'powerBankSn is required');
    if (msg.slot !== undefined && !Number.isInteger(msg.slot)) throw new SimControlError('UNKNOWN_SLOT', `slot must be a bay number`);
    return { slot: await this.returnPowerBank(msg.powerBankSn, msg.slot as number | undefined) };
  }

  private async onCommand(cmd: DeviceCommandMessage) {
    if (this.mode === 'silent' || typeof cmd.id !== 'string') return;
    if (this.mode === 'miss-command' && !this.missed.has(cmd.id)) return void this.missed.add(cmd.id);
    // QoS 1 may deliver twice and the backend may retry: one id, one action, the same ack.
    // A lost-ack mode loses the repeat's ack too.
    const acksLost = this.mode === 'drop-ack' || this.mode === 'drop-ack-and-event';
    const earlier = this.seen.get(cmd.id);
    if (earlier) return acksLost ? undefined : this.publishAck(earlier);
    const ack = await this.execute(cmd);
    this.seen.set(cmd.id, ack);
    if (!acksLost) await this.publishAck(ack);
  }

  private async execute(cmd: DeviceCommandMessage): Promise<DeviceAck> {
    if (this.mode === 'fail') return { id: cmd.id, ok: false, error: 'HARDWARE_FAULT' };
    switch (cmd.type) {
      case 'eject': {
        if (this.locked) return { id: cmd.id, ok: false, error: 'LOCKED' };
        const slot = cmd.slot ? this.slots.find((s) => s.index === cmd.slot) : this.slots.find((s) => s.powerBankSn);
        if (!slot?.powerBankSn) return { id: cmd.id, ok: false, error: 'SLOT_EMPTY' };
        await new Promise((r) => setTimeout(r, this.opts.ejectDelayMs ?? 800));
        const powerBankSn = slot.powerBankSn;
        Object.assign(slot, { powerBankSn: null, batteryLevel: null, status: 'empty' });
        this.persist();
        if (this.mode !== 'drop-event' && this.mode !== 'drop-ack-and-event') {
          await this.client!.publishAsync(this.topicOf('event'), JSON.stringify({ type: 'slot', slot: slot.index, powerBankSn: null, ts: await this.now() }), {
            qos: 1,
          });
        }
        return { id: cmd.id, ok: true, slot: slot.index, powerBankSn };
      }
      case 'reboot':
        setTimeout(() => {
          void this.announce();
        }, 200);
        return { id: cmd.id, ok: true };
      case 'lock':
        this.locked = true;
        this.persist();
        return { id: cmd.id, ok: true };
      case 'unlock':
        this.locked = false;
        this.persist();
        return { id: cmd.id, ok: true };
      default:
        return { id: cmd.id, ok: false, error: `UNKNOWN_COMMAND:${cmd.type}` };
    }
  }

  private async publishAck(ack: DeviceAck) {
    await this.client?.publishAsync(this.topicOf('ack'), JSON.stringify(ack), { qos: 1 });
  }

  /** A clean shutdown publishes offline itself; a crash leaves it to the last will. */
  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (!this.client) return;
    if (this.client.connected) await this.client.publishAsync(this.topicOf('status'), JSON.stringify({ online: false }), { qos: 1, retain: true });
    await this.client.endAsync();
  }
}
