/**
 * Every workflow the worker registers: each module's workflows/index.ts (workflow-safe imports
 * only below this file), and the no-op yardstick of the benchmark.
 */
export * from '../modules/identity/workflows';
export * from '../modules/engagement/workflows';
export * from '../modules/payments/workflows';
export * from '../modules/stations/workflows';
export * from '../modules/rentals/workflows';
export * from '../modules/dispensing/workflows';
export * from '../modules/loans/workflows';
export * from '../modules/charging/workflows';
export { noopWorkflow } from './noop.workflow';
