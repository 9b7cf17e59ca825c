/**
 * The import rules of docs/ARCHITECTURE.md, checked by `npm run lint:deps` (part of `npm test`).
 *
 *   api ──► modules ──► kernel        workers may import anything; nothing imports api or workers.
 *
 * A module is reached from outside only through its index.ts; workflow code imports only what is
 * safe inside Temporal's workflow sandbox; there are no import cycles anywhere in src/.
 */
const MODULE = '^src/modules/([^/]+)/';

/** Kernel files that are deterministic and free of Node I/O, so workflow code may use them. */
const WORKFLOW_SAFE_KERNEL = ['^src/kernel/temporal/', '^src/kernel/devices/(protocol|commander)\\.ts$', '^src/kernel/money\\.ts$'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycles make start-up order and module boundaries fragile: break one with an interface or a definitions file. ' +
        'Type-only imports are erased at compile time and cannot form a cycle at run time (the two sides of a MikroORM relation name each other as types), so a cycle needs a value import at every step.',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'nothing-imports-api',
      severity: 'error',
      comment: 'The HTTP layer is the outermost ring: only the composition root (src/workers) may import it.',
      from: { path: '^src/', pathNot: ['^src/api/', '^src/workers/'] },
      to: { path: '^src/api/' },
    },
    {
      name: 'nothing-imports-workers',
      severity: 'error',
      comment: 'src/workers is the composition root: it wires everything and nothing depends on it.',
      from: { path: '^src/', pathNot: '^src/workers/' },
      to: { path: '^src/workers/' },
    },
    {
      name: 'kernel-knows-no-module',
      severity: 'error',
      comment: 'The kernel is what every module may use; it names no module, surface, database wiring or process.',
      from: { path: '^src/kernel/' },
      to: { path: '^src/(modules|api|workers|db|infra|sim)/' },
    },
    {
      name: 'config-is-a-leaf',
      severity: 'error',
      comment: 'Configuration is read by everything, so it imports nothing of ours but itself.',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/config/' },
    },
    {
      name: 'modules-do-not-wire-processes',
      severity: 'error',
      comment: "Modules get their connections injected; opening the database or starting dev servers is the composition root's job.",
      from: { path: MODULE },
      to: { path: '^src/(db|infra|sim)/' },
    },
    {
      name: 'module-only-through-its-index',
      severity: 'error',
      comment: 'Another module (or the API) reaches a module only through its public index.ts.',
      from: { path: '^src/(modules/([^/]+)/|api/)' },
      to: { path: MODULE, pathNot: ['^src/modules/$2/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'workflows-import-workflow-safe-code-only',
      severity: 'error',
      comment:
        "Workflow code runs in Temporal's deterministic sandbox: it imports @temporalio/workflow, its own module's pure rules and " +
        'workflow files, activity types (import type) and the workflow-safe kernel. Nothing with I/O.',
      from: { path: `${MODULE}workflows/` },
      to: {
        pathNot: [
          '^src/modules/$1/(rules|workflows)/',
          ...WORKFLOW_SAFE_KERNEL,
          '^node_modules/@temporalio/(workflow|common)/',
          '^@temporalio/(workflow|common)$',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'workflows-use-other-modules-as-types-only',
      severity: 'error',
      comment:
        "A workflow may proxy another module's activities, so it may import that module's types (import type, through its index.ts), " +
        'never its code: the code would enter the workflow bundle.',
      from: { path: `${MODULE}workflows/` },
      to: { path: '^src/', pathNot: ['^src/modules/$1/', ...WORKFLOW_SAFE_KERNEL], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
