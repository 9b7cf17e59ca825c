import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Imported first by a test file (before anything of src/): the one pino logger of this file's
 * process then writes every line, at trace level, to a file of its own (LOG_FILE), which the test
 * reads back. Jest gives each test file its own process.env and module registry.
 */
export const LOG_FILE = path.join(process.env.STATIONFLOW_TEST_DIR ?? os.tmpdir(), `captured-log-${process.pid}-${Date.now()}.ndjson`);
process.env.LOG_FILE = LOG_FILE;
process.env.LOG_LEVEL = 'trace';

/** Everything logged so far. */
export const capturedLog = (): string => (fs.existsSync(LOG_FILE) ? fs.readFileSync(LOG_FILE, 'utf8') : '');
