import { parseArgs } from 'node:util';
import { DEV_MQTT_AUTH_SECRET } from '../config';
import { startMqttBroker } from './mqtt-broker';

/**
 * `npm run broker -- [--port 1883] [--host 127.0.0.1] [--auth-secret <MQTT_AUTH_SECRET>]`: a standalone aedes broker
 * where every client authenticates and keeps to its ACL (./broker-auth.ts).
 * Prints `broker listening on mqtt://host:port` once it accepts connections; SIGINT/SIGTERM stop it.
 * Tests run it as a child process to take the broker down and bring it back under a live stack.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.MQTT_PORT ?? '1883' },
      host: { type: 'string', default: '127.0.0.1' },
      'auth-secret': { type: 'string', default: process.env.MQTT_AUTH_SECRET ?? DEV_MQTT_AUTH_SECRET },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`broker: --port must be an integer 0..65535, got "${values.port}"\n`);
    process.exit(64); // EX_USAGE
  }
  const broker = await startMqttBroker({ port, host: values.host, authSecret: values['auth-secret'] });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    broker.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // After the handlers: whoever reads this line may signal at once.
  process.stdout.write(`broker listening on ${broker.url}\n`);
}

main().catch((err) => {
  process.stderr.write(`broker failed: ${err?.message ?? err}\n`);
  process.exit(1);
});
