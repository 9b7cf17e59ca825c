export { chargingWorkflow } from './charging.workflow';
