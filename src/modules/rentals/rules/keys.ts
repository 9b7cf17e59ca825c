/** Ledger idempotency keys of everything a rental moves. */
export const rentalKeys = {
  charge: (id: string) => `rental-charge:${id}`,
  extension: (id: string, n: number) => `rental-extend:${id}:${n}`,
  usage: (id: string) => `rental-usage:${id}`,
  fine: (id: string) => `rental-fine:${id}`,
  lost: (id: string) => `rental-lost:${id}`,
  refund: (chargeKey: string) => `refund:${chargeKey}`,
};
