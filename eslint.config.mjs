// Lint rules run by `npm run lint` (part of `npm test`). Type-aware rules use the project's tsconfig.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A workflow started by its name alone has unchecked arguments: name its signature (`start<RentalWorkflow>(...)`). */
const untypedWorkflowStart = {
  selector:
    "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(start|execute|signalWithStart)$/][callee.object.property.name='workflow'][arguments.0.type='Literal']:not([typeArguments])",
  message:
    "Start workflows with a typed reference: client.workflow.start<XWorkflow>('xWorkflow', ...) with XWorkflow from the module's workflows/definitions.ts.",
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', '.tools/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Rows that come back from raw SQL are untyped by nature; they are narrowed where they are read.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-syntax': ['error', untypedWorkflowStart],
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Production code reads top-down: no function longer than a screen. (Test files are exempt: a
    // describe callback holds many test cases, and each `it` is its own function.)
    files: ['src/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Data tables, not logic: country lists, default content, and migrations (a list of SQL statements).
    files: ['src/**/*.data.ts', 'src/db/migrations/*.ts'],
    rules: { 'max-lines': 'off', 'max-lines-per-function': 'off' },
  },
  {
    files: ['**/*.cjs', '**/*.mjs', '**/*.js'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
  },
);
