/** The rentals module's workflows, for the worker's bundle (workflow-safe imports only). */
export { rentalWorkflow } from './rental.workflow';
export { rentalV2Workflow } from './rental-v2.workflow';
export { rentalSweepWorkflow } from './rental-sweep.workflow';
