import { PowerBankReturn } from './power-bank-return.entity';
import { RentalEvent } from './rental-event.entity';
import { RentalIssue } from './rental-issue.entity';
import { RentalLocation } from './rental-location.entity';
import { Rental } from './rental.entity';

/** Entities of the rentals context (rental_packages is registered with the foundation). */
export const rentalEntities = [Rental, RentalEvent, RentalLocation, RentalIssue, PowerBankReturn];
export { Rental, RentalEvent, RentalLocation, RentalIssue, PowerBankReturn };
