/**
 * What a charging session costs. Pure. Amounts in MNT minor units (möngö), energy in Wh.
 *
 * energy: (meterStop − meterStart) Wh × price per kWh, rounded to the nearest möngö.
 * waiting: whole minutes between the end of charging (StopTransaction, or the car suspending
 * charge with `SuspendedEV` while the transaction runs) and the cable leaving the connector
 * (StatusNotification `Available`), up to EV_WAITING_CAP_MINUTES, × waitingPrice per minute.
 * The first started minute is free: a car unplugged within a minute pays no waiting.
 */
export function energyCost(wh: number, pricePerKwh: number): number {
  return Math.round((Math.max(wh, 0) * pricePerKwh) / 1000);
}

export function waitingMinutes(endedChargingAtMs: number | null, unpluggedAtMs: number, capMinutes: number): number {
  if (endedChargingAtMs === null) return 0;
  return Math.min(capMinutes, Math.max(0, Math.floor((unpluggedAtMs - endedChargingAtMs) / 60_000)));
}

export function sessionCost(s: { wh: number; price: number; waitingMinutes: number; waitingPrice: number }): number {
  return energyCost(s.wh, s.price) + s.waitingMinutes * s.waitingPrice;
}

/** Wh the remaining hold still pays for: the session stops itself before it would spend more. */
export function affordableWh(holdMinor: number, pricePerKwh: number): number {
  return pricePerKwh <= 0 ? Number.MAX_SAFE_INTEGER : Math.floor((holdMinor * 1000) / pricePerKwh);
}
