/** The engagement module's workflows, for the worker's bundle (workflow-safe imports only). */
export { notificationWorkflow } from './notification.workflow';
export { pushSweepWorkflow } from './push-sweep.workflow';
export { broadcastWorkflow } from './broadcast.workflow';
