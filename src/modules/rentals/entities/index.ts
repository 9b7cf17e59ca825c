import { PowerBankReturn } from './power-bank-return.entity';
import { RentalDay, RenterDay, RenterDayGap } from './rental-activity.entity';
import { RentalEvent } from './rental-event.entity';
import { RentalIssue } from './rental-issue.entity';
import { RentalLocation } from './rental-location.entity';
import { RentalPackage } from './rental-package.entity';
import { Rental } from './rental.entity';

/** The rentals module's MikroORM entities (its tables), listed explicitly so discovery works the same in ts, js and jest. */
export const rentalsEntities = [PowerBankReturn, RentalEvent, RentalIssue, RentalLocation, RentalPackage, Rental, RentalDay, RenterDay, RenterDayGap];
export { PowerBankReturn, RentalDay, RenterDay, RenterDayGap, RentalEvent, RentalIssue, RentalLocation, RentalPackage, Rental };
