import path from 'node:path';

/** Entry of the workflow code that the bundler starts from. */
export const WORKFLOWS_PATH = path.join(__dirname, '..', 'workflows', 'index');
