/**
 * Charging (seed 000, EV chargers in Mongolia): chargers and their OCPP 1.6-J sessions, the
 * `charging:<id>` workflow, the EV app's sign-in with NATS push credentials.
 */
export { chargingEntities } from './entities';
export { CHARGER_STATES, type ChargerState } from './entities/charger.entity';
export { ChargerQueryService, type ChargerView } from './services/charger-query';
export { ChargerDeskService } from './services/charger-desk';
export { EvLoginService } from './services/ev-login.service';
export { NatsAuthService, NatsPublisher } from './services/nats-auth';
export { MAX_BOX_LAT_SPAN, MAX_BOX_LNG_SPAN, MAX_BOX_RESULTS } from './rules/bbox';
export { ChargingService } from './services/charging.service';
export { registerCharger, type NewCharger } from './services/charger-admin';
export { OcppCentralSystem } from './services/ocpp/central-system';
export { createChargingActivities, type ChargingActivities, type ChargingActivityDeps } from './activities/charging.activities';
export { chargingWorkflowId, chargingStateQuery, type ChargingWorkflow, type ChargingResult } from './workflows/definitions';
export { ReplenishService, type TopUpInvoice } from './services/replenish.service';
export { QpayClient, type QpaySettings } from './qpay/qpay.client';
export { startQpaySandbox, type QpaySandbox, type QpaySandboxOptions } from './qpay/qpay.sandbox';
export { qpayInvoiceWorkflowId, type QpayInvoiceWorkflow, type QpayInvoiceResult } from './workflows/qpay-definitions';
export { ChargerCommandService, type ChargerAnswer } from './services/charger-commands.service';
