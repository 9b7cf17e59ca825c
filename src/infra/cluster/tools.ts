import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The Temporal server and its SQL schema tool, built from the Go module proxy (the same module version). */
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The Temporal Web UI's server (newer versions need modules the proxy refuses). */
export const TEMPORAL_UI_MODULE = 'github.com/temporalio/ui-server/v2';
export const TEMPORAL_UI_VERSION = 'v2.39.0';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TOOLS = path.join(ROOT, '.tools');

/** Where each binary lives: both programs install as `server`, so each has its own GOBIN folder. */
export const clusterBinaries = () => ({
  server: process.env.TEMPORAL_SERVER_PATH ?? path.join(TOOLS, 'temporal-server', 'server'),
  sql: process.env.TEMPORAL_SQL_TOOL_PATH ?? path.join(TOOLS, 'temporal-server', 'sql'),
  ui: process.env.TEMPORAL_UI_SERVER_PATH ?? path.join(TOOLS, 'temporal-ui', 'server'),
});

function goBinary(): string {
  const r = spawnSync('sh', ['-c', 'command -v go || ls /usr/local/go/bin/go'], { encoding: 'utf8', env: process.env });
  const go = r.stdout.trim().split('\n')[0];
  if (r.status !== 0 || !go) {
    throw new Error(
      'cluster mode needs Go (1.24 or newer) to build the Temporal server, its sql tool and the Temporal UI once into .tools/: ' +
        'install Go (https://go.dev/dl/ or apt-get install golang) and run `npm run setup -- --cluster` again',
    );
  }
  return go;
}

/** The Go module cache folder of the Temporal server module (its schema files and config templates). */
export function temporalServerModuleDir(): string {
  const cache = execFileSync(goBinary(), ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const dir = path.join(cache, `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`);
  if (!fs.existsSync(dir)) {
    execFileSync(goBinary(), ['mod', 'download', `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`], { stdio: 'inherit', cwd: TOOLS });
  }
  return dir;
}

/** The versioned PostgreSQL 12 schema folders the sql tool migrates `temporal` and `temporal_visibility` with. */
export const temporalSchemaDirs = () => {
  const base = path.join(temporalServerModuleDir(), 'schema', 'postgresql', 'v12');
  return { temporal: path.join(base, 'temporal', 'versioned'), visibility: path.join(base, 'visibility', 'versioned') };
};

/**
 * Builds whatever of the server, sql tool and UI is missing (about 4 minutes on 2 cores the first
 * time; nothing afterwards). `log` hears what is being built.
 */
export function ensureClusterTools(log: (line: string) => void = () => undefined): ReturnType<typeof clusterBinaries> {
  const bins = clusterBinaries();
  const install = (gobin: string, packages: string[]) => {
    const go = goBinary();
    log(`building ${packages.join(' ')} into ${path.relative(ROOT, gobin)} (once; a few minutes)`);
    fs.mkdirSync(gobin, { recursive: true });
    execFileSync(go, ['install', ...packages], { stdio: 'inherit', env: { ...process.env, GOBIN: gobin } });
  };
  if (!fs.existsSync(bins.server) || !fs.existsSync(bins.sql)) {
    install(path.dirname(bins.server), [
      `${TEMPORAL_SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
      `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
    ]);
  }
  if (!fs.existsSync(bins.ui)) install(path.dirname(bins.ui), [`${TEMPORAL_UI_MODULE}/cmd/server@${TEMPORAL_UI_VERSION}`]);
  return bins;
}
