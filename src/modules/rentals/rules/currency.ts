/**
 * Rentals started before the package's currency travelled in the workflow's input were all
 * priced in NPR, the only currency of the power-bank product then; their runs replay with it.
 */
const CURRENCY_OF_RENTALS_BEFORE_IT_WAS_CARRIED = 'NPR';

/** The currency a rental is charged in: its package's. */
export const rentalCurrency = (pkg: { currency?: string }): string => pkg.currency ?? CURRENCY_OF_RENTALS_BEFORE_IT_WAS_CARRIED;
