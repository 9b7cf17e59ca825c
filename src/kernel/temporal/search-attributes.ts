import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/** Custom search attributes that make every run findable in the Temporal UI. */
export const SA_USER_ID = defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD);
export const SA_STATION_SN = defineSearchAttributeKey('StationSn', SearchAttributeType.KEYWORD);
export const SA_BUSINESS_STATUS = defineSearchAttributeKey('BusinessStatus', SearchAttributeType.KEYWORD);
export const SA_SURFACE = defineSearchAttributeKey('Surface', SearchAttributeType.KEYWORD);
/** The fleet product (seed 004): a loan's id and a battery's serial. */
export const SA_LOAN_ID = defineSearchAttributeKey('LoanId', SearchAttributeType.KEYWORD);
export const SA_SERIAL = defineSearchAttributeKey('Serial', SearchAttributeType.KEYWORD);

export const CUSTOM_SEARCH_ATTRIBUTES = [SA_USER_ID, SA_STATION_SN, SA_BUSINESS_STATUS, SA_SURFACE, SA_LOAN_ID, SA_SERIAL];

/**
 * What a workflow start carries, so an operator can filter the UI by person, station, product and
 * state (e.g. `WorkflowType = 'refundWorkflow' AND BusinessStatus = 'awaiting_decision'`). Every
 * workflow today belongs to the chargeghar surface (seed 001/003).
 */
export function startAttributes(a: {
  userId?: string;
  stationSn?: string;
  status?: string;
  surface?: string;
  loanId?: string;
  serial?: string;
}): SearchAttributePair[] {
  return [
    { key: SA_SURFACE, value: a.surface ?? 'chargeghar' },
    ...(a.userId ? [{ key: SA_USER_ID, value: a.userId }] : []),
    ...(a.stationSn ? [{ key: SA_STATION_SN, value: a.stationSn }] : []),
    ...(a.status ? [{ key: SA_BUSINESS_STATUS, value: a.status }] : []),
    ...(a.loanId ? [{ key: SA_LOAN_ID, value: a.loanId }] : []),
    ...(a.serial ? [{ key: SA_SERIAL, value: a.serial }] : []),
  ];
}
