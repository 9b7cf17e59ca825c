/** Workflow ids and references of the dispensing module (business keys). */
export const waterPaymentWorkflowId = (transactionReference: string) => `water-payment:${transactionReference}`;
export const dispenseOtpWorkflowId = (transactionReference: string) => `dispense-otp:${transactionReference}`;
export const waterSaleLedgerKey = (transactionReference: string) => `water-sale:${transactionReference}`;

/** `WS-<epoch ms>-<8 characters>` as in the seed's examples. */
export function newTransactionReference(now: number, random: string): string {
  return `WS-${now}-${random
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .padEnd(8, '0')
    .slice(0, 8)}`;
}
export const TRANSACTION_REFERENCE = /^WS-\d{10,16}-[A-Z0-9]{8}$/;
