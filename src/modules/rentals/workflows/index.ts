/** The rentals module's workflows, for the worker's bundle (workflow-safe imports only). */
export { rentalWorkflow } from './rental.workflow';
export { rentalSweepWorkflow } from './rental-sweep.workflow';
