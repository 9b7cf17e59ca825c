import mqtt, { type MqttClient } from 'mqtt';
import { deviceCredentials } from '../kernel/devices/credentials';
import { topic, type Channel } from '../kernel/devices/protocol';

export interface BatterySimulatorOptions {
  brokerUrl: string;
  serial: string;
  authSecret: string;
  topicPrefix?: string;
  heartbeatMs?: number;
  /** `silent`: online but never acks (to see a command stay pending). */
  mode?: 'normal' | 'silent';
}

/**
 * A leased battery on the bus (`battery/<serial>/...`): retained online status with an offline
 * last will, heartbeats with state of charge, health score, temperature and GPS around Bengaluru,
 * and an ack for each `set_status` command (the status it applied).
 */
export class BatterySimulator {
  private client?: MqttClient;
  private timer?: NodeJS.Timeout;
  private soc = 60 + Math.floor(Math.random() * 40);
  /** Each battery its own state of health (70–99, from its serial), so the fleet's health report has a spread. */
  private readonly health: number;
  private charging = false;
  status = 'active';

  constructor(private readonly opts: BatterySimulatorOptions) {
    this.health = 70 + ([...opts.serial].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_003, 7) % 30);
  }

  private topicOf(channel: Channel) {
    return topic('battery', this.opts.serial, channel, this.opts.topicPrefix ?? '');
  }

  async start(): Promise<void> {
    const creds = deviceCredentials(this.opts.authSecret, 'battery', this.opts.serial, this.opts.topicPrefix ?? '');
    this.client = await mqtt.connectAsync(this.opts.brokerUrl, {
      clientId: creds.username,
      ...creds,
      keepalive: 5,
      will: { topic: this.topicOf('status'), payload: Buffer.from(JSON.stringify({ online: false })), qos: 1, retain: true },
    });
    this.client.on('message', (_t, payload) => {
      const cmd = JSON.parse(payload.toString()) as { id: string; type: string; status?: string };
      if (this.opts.mode === 'silent' || cmd.type !== 'set_status' || !cmd.status) return;
      this.status = cmd.status;
      void this.client!.publishAsync(this.topicOf('ack'), JSON.stringify({ id: cmd.id, ok: true, status: cmd.status }), { qos: 1 });
    });
    await this.client.subscribeAsync(this.topicOf('cmd'), { qos: 1 });
    await this.client.publishAsync(this.topicOf('status'), JSON.stringify({ online: true }), { qos: 1, retain: true });
    await this.heartbeat();
    if (this.opts.heartbeatMs) this.timer = setInterval(() => void this.heartbeat(), this.opts.heartbeatMs);
  }

  async heartbeat(): Promise<void> {
    // In use it drains; at 10 % it is put on charge (a swap station) until full.
    if (this.charging) this.soc = Math.min(100, this.soc + 5);
    else if (this.status === 'active') this.soc = Math.max(5, this.soc - 1);
    this.charging = this.charging ? this.soc < 100 : this.soc <= 10;
    const body = {
      ts: Date.now(),
      soc: this.soc,
      health_score: this.health,
      temperature: 30 + Math.round(Math.random() * 60) / 10,
      gps: { lat: 12.9716 + (Math.random() - 0.5) / 50, lng: 77.5946 + (Math.random() - 0.5) / 50 },
      status: this.status,
    };
    await this.client?.publishAsync(this.topicOf('heartbeat'), JSON.stringify(body), { qos: 0 });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.client?.publishAsync(this.topicOf('status'), JSON.stringify({ online: false }), { qos: 1, retain: true }).catch(() => undefined);
    await this.client?.endAsync();
  }
}
