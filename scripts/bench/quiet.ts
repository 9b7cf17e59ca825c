import { DefaultLogger, Runtime } from '@temporalio/worker';

// Before anything else is loaded: application logs at warn, Temporal's runtime at warn.
process.env.LOG_LEVEL ??= 'warn';
Runtime.install({ logger: new DefaultLogger('WARN') });
