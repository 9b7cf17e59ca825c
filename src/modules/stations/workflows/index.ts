/** The stations module's workflows, for the worker's bundle (workflow-safe imports only). */
export { stationCommandWorkflow } from './station-command.workflow';
