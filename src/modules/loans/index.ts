/**
 * Loans (seed 004, the fleet product): dealers, consumers and their KYC, batteries as devices
 * (`battery/<serial>/...`), loan applications with the NBFC, EMI schedules and auto-disable.
 */
export { loansEntities } from './entities';
export { FLEET_USER_TYPES, PAN_FORMAT, type FleetUserType } from './rules/kyc';
export { emiSchedule, emiPaise, type Instalment } from './rules/emi';
export { fleetCaller, type FleetCaller } from './services/access';
export { FleetAuthService } from './services/fleet-auth.service';
export { ConsumerService } from './services/consumer.service';
export { BatteryService } from './services/battery.service';
export { batteryPresence } from './services/battery-presence';
export { createLoanActivities, type LoanActivities, type LoanActivityDeps } from './activities/loan.activities';
export { batteryControlWorkflowId, type BatteryAction } from './workflows/definitions';
