/** Daraja's paths and shapes (docs: ../shared/reference/gateways.md §4, developer.safaricom.co.ke). */
export const DARAJA_PATHS = {
  oauth: '/oauth/v1/generate',
  stkPush: '/mpesa/stkpush/v1/processrequest',
  stkQuery: '/mpesa/stkpushquery/v1/query',
} as const;

export const RESULT_DESCRIPTIONS: Record<number, string> = {
  0: 'The service request is processed successfully.',
  1: 'The balance is insufficient for the transaction.',
  1032: 'Request cancelled by user',
  1037: 'DS timeout user cannot be reached',
  2001: 'The initiator information is invalid.',
};

/** While the customer has not answered, STK Push Query answers this error body (HTTP 500). */
export const STILL_PROCESSING = { errorCode: '500.001.1001', errorMessage: 'The transaction is being processed' };

export interface StkCallbackItem {
  Name: string;
  Value?: string | number;
}
export interface StkCallback {
  MerchantRequestID: string;
  CheckoutRequestID: string;
  ResultCode: number;
  ResultDesc: string;
  CallbackMetadata?: { Item: StkCallbackItem[] };
}
