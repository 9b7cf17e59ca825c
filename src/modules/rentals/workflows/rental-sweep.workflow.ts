import { proxyActivities } from '@temporalio/workflow';
import type { RentalSweepActivities } from '../activities/rental-sweep.activities';
import type { RentalSweepWorkflow } from './definitions';

const { sweepStartingRentals } = proxyActivities<RentalSweepActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3 },
});

/** One run of the rental sweeper schedule (`rental-sweeper:<taskQueue>`): rentals left `starting` without a workflow. */
export const rentalSweepWorkflow: RentalSweepWorkflow = async function rentalSweepWorkflow() {
  return sweepStartingRentals();
};
