/** eSewa ePay v2 wire facts shared by the adapter and the sandbox (gateways.md §2). */
export const ESEWA_PATHS = {
  form: '/api/epay/main/v2/form',
  status: '/api/epay/transaction/status/',
} as const;

export const ESEWA_STATUSES = ['COMPLETE', 'PENDING', 'FULL_REFUND', 'PARTIAL_REFUND', 'AMBIGUOUS', 'NOT_FOUND', 'CANCELED'] as const;
export type EsewaStatus = (typeof ESEWA_STATUSES)[number];

/** The fields the browser POSTs to the form URL; all required, unused charges "0". */
export interface EsewaFormFields {
  amount: string;
  tax_amount: string;
  product_service_charge: string;
  product_delivery_charge: string;
  total_amount: string;
  transaction_uuid: string;
  product_code: string;
  success_url: string;
  failure_url: string;
  signed_field_names: string;
  signature: string;
}

export const ESEWA_FORM_FIELD_NAMES: (keyof EsewaFormFields)[] = [
  'amount',
  'tax_amount',
  'product_service_charge',
  'product_delivery_charge',
  'total_amount',
  'transaction_uuid',
  'product_code',
  'success_url',
  'failure_url',
  'signed_field_names',
  'signature',
];

/** The status check's answer. */
export interface EsewaStatusResponse {
  product_code: string;
  transaction_uuid: string;
  total_amount: number;
  status: EsewaStatus;
  ref_id: string | null;
}

export const ESEWA_OUTAGE = { code: 0, error_message: 'Service is currently unavailable' };
