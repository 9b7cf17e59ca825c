import path from 'node:path';
import { buildWorkflowBundle } from '../src/workers/bundle';

/** `npm run build` step: the production worker loads this bundle instead of bundling at start. */
const out = process.argv[2] ?? path.resolve(__dirname, '..', 'dist', 'workflow-bundle.js');
buildWorkflowBundle(out).then(
  (file) => process.stdout.write(`workflow bundle written to ${file}\n`),
  (err) => {
    process.stderr.write(`workflow bundle failed: ${err.message}\n`);
    process.exit(1);
  },
);
