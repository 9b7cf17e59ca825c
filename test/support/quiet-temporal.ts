import { DefaultLogger, Runtime } from '@temporalio/worker';

// Temporal workers log every state change at INFO; tests want warnings only (LOG_LEVEL=debug to see more).
try {
  Runtime.install({ logger: new DefaultLogger(process.env.TEMPORAL_LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN') });
} catch {
  /* a runtime already exists in this process */
}
