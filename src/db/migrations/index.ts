import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000001_foundation } from './Migration20261123000001_foundation';
import { Migration20261123000100_identity } from './Migration20261123000100_identity';
import { Migration20261123000200_engagement } from './Migration20261123000200_engagement';
import { Migration20261123000300_ledger } from './Migration20261123000300_ledger';
import { Migration20261123000310_payments } from './Migration20261123000310_payments';
import { Migration20261123000500_rentals } from './Migration20261123000500_rentals';
import { Migration20261123000210_push_sweeper } from './Migration20261123000210_push_sweeper';
import { Migration20261123000510_eject_watch } from './Migration20261123000510_eject_watch';
import { Migration20261123000520_rental_review_resolution } from './Migration20261123000520_rental_review_resolution';
import { Migration20261123000320_refund_payouts } from './Migration20261123000320_refund_payouts';
import { Migration20261202000410_slot_kiosk_time } from './Migration20261202000410_slot_kiosk_time';
import { Migration20261202000530_rental_attention } from './Migration20261202000530_rental_attention';
import { Migration20261202001000_payments_attention } from './Migration20261202001000_payments_attention';
import { Migration20261202010000_return_refusals } from './Migration20261202010000_return_refusals';
import { Migration20261202020000_otp_guard } from './Migration20261202020000_otp_guard';
import { Migration20261202030000_auth_hardening } from './Migration20261202030000_auth_hardening';
import { Migration20261202040000_private_media } from './Migration20261202040000_private_media';
import { Migration20261202050000_admin_promotions } from './Migration20261202050000_admin_promotions';
import { Migration20261202060000_analytics } from './Migration20261202060000_analytics';
import { Migration20261202060010_social } from './Migration20261202060010_social';
import { Migration20261202090000_ev_charging } from './Migration20261202090000_ev_charging';

/** Committed migrations, in order. Add new ones at the end. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261123000001_foundation', class: Migration20261123000001_foundation },
  { name: 'Migration20261123000100_identity', class: Migration20261123000100_identity },
  { name: 'Migration20261123000200_engagement', class: Migration20261123000200_engagement },
  { name: 'Migration20261123000300_ledger', class: Migration20261123000300_ledger },
  { name: 'Migration20261123000310_payments', class: Migration20261123000310_payments },
  { name: 'Migration20261123000500_rentals', class: Migration20261123000500_rentals },
  { name: 'Migration20261123000210_push_sweeper', class: Migration20261123000210_push_sweeper },
  { name: 'Migration20261123000510_eject_watch', class: Migration20261123000510_eject_watch },
  { name: 'Migration20261123000520_rental_review_resolution', class: Migration20261123000520_rental_review_resolution },
  { name: 'Migration20261123000320_refund_payouts', class: Migration20261123000320_refund_payouts },
  { name: 'Migration20261202000530_rental_attention', class: Migration20261202000530_rental_attention },
  { name: 'Migration20261202000410_slot_kiosk_time', class: Migration20261202000410_slot_kiosk_time },
  { name: 'Migration20261202001000_payments_attention', class: Migration20261202001000_payments_attention },
  { name: 'Migration20261202010000_return_refusals', class: Migration20261202010000_return_refusals },
  { name: 'Migration20261202020000_otp_guard', class: Migration20261202020000_otp_guard },
  { name: 'Migration20261202030000_auth_hardening', class: Migration20261202030000_auth_hardening },
  { name: 'Migration20261202040000_private_media', class: Migration20261202040000_private_media },
  { name: 'Migration20261202050000_admin_promotions', class: Migration20261202050000_admin_promotions },
  { name: 'Migration20261202060000_analytics', class: Migration20261202060000_analytics },
  { name: 'Migration20261202060010_social', class: Migration20261202060010_social },
  { name: 'Migration20261202090000_ev_charging', class: Migration20261202090000_ev_charging },
];
