import { FleetMember } from './member.entity';
import { FleetConsumer } from './consumer.entity';
import { FleetConsumerDocument } from './consumer-document.entity';
import { FleetBattery } from './battery.entity';
import { FleetLoanApplication } from './loan-application.entity';
import { FleetNbfcWebhookEvent } from './nbfc-webhook-event.entity';
import { FleetLoan } from './loan.entity';
import { FleetEmiInstalment } from './emi-instalment.entity';
import { FleetPaymentEvent } from './payment-event.entity';
import { FleetServiceTicket } from './service-ticket.entity';
import { FleetMessageLog } from './message-log.entity';
import { FleetLoanSettlement } from './loan-settlement.entity';

/** The loans module's MikroORM entities (its tables). */
export const loansEntities = [
  FleetMember,
  FleetConsumer,
  FleetConsumerDocument,
  FleetBattery,
  FleetLoanApplication,
  FleetNbfcWebhookEvent,
  FleetLoan,
  FleetEmiInstalment,
  FleetPaymentEvent,
  FleetServiceTicket,
  FleetMessageLog,
  FleetLoanSettlement,
];
