/** The identity module's workflows, for the worker's bundle (workflow-safe imports only). */
export { otpWorkflow } from './otp.workflow';
