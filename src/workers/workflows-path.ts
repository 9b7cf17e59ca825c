import path from 'node:path';

/** Entry of the workflow code that the bundler starts from: every module's workflows. */
export const WORKFLOWS_PATH = path.join(__dirname, 'workflows');
