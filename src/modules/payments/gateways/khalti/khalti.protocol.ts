/** Khalti KPG-2 wire facts shared by the adapter and the sandbox (see shared/reference/gateways.md §1). */
export const KHALTI_PATHS = {
  initiate: '/api/v2/epayment/initiate/',
  lookup: '/api/v2/epayment/lookup/',
  refund: (transactionId: string) => `/api/merchant-transaction/${encodeURIComponent(transactionId)}/refund/`,
} as const;

export const KHALTI_STATUSES = ['Completed', 'Pending', 'Initiated', 'Refunded', 'Partially Refunded', 'Expired', 'User canceled'] as const;
export type KhaltiStatus = (typeof KHALTI_STATUSES)[number];

/** Khalti's minimum: amounts are paisa, Rs. 10 = 1000. */
export const KHALTI_MIN_AMOUNT = 1000;

export interface KhaltiInitiateRequest {
  return_url: string;
  website_url: string;
  amount: number | string;
  purchase_order_id: string;
  purchase_order_name: string;
  customer_info?: { name?: string; email?: string; phone?: string };
  amount_breakdown?: { label: string; amount: number }[];
  product_details?: unknown[];
  [merchantExtra: `merchant_${string}`]: unknown;
}

export interface KhaltiInitiateResponse {
  pidx: string;
  payment_url: string;
  expires_at: string;
  expires_in: number;
}

export interface KhaltiLookupResponse {
  pidx: string;
  total_amount: number;
  status: KhaltiStatus;
  transaction_id: string | null;
  fee: number;
  refunded: boolean;
}

/** Query parameters Khalti appends to return_url (unsigned). */
export interface KhaltiReturnParams {
  pidx: string;
  status: string;
  transaction_id: string;
  tidx: string;
  txnId: string;
  amount: string;
  total_amount: string;
  mobile: string;
  purchase_order_id: string;
  purchase_order_name: string;
}

/** Lookup answers Expired and User canceled with HTTP 400, the rest with 200. */
export function lookupHttpStatus(status: KhaltiStatus): number {
  return status === 'Expired' || status === 'User canceled' ? 400 : 200;
}

/** ISO-8601 in Nepal time (+05:45), the way Khalti writes expires_at. */
export function toNepalIso(ms: number): string {
  return new Date(ms + (5 * 60 + 45) * 60_000).toISOString().replace('Z', '+05:45');
}
