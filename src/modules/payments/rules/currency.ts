/**
 * Top-ups and refunds started before the currency travelled in the workflow's input were all in
 * NPR, the only wallet currency then; their runs replay with it.
 */
const CURRENCY_BEFORE_IT_WAS_CARRIED = 'NPR';

/** The currency of a top-up or refund workflow's amount. */
export const amountCurrency = (input: { currency?: string }): string => input.currency ?? CURRENCY_BEFORE_IT_WAS_CARRIED;

/** "NPR 20.00": an amount as a customer reads it. */
export const moneyText = (minor: number, currency: string, format: (minor: number, currency: string) => string): string =>
  `${currency} ${format(minor, currency)}`;
