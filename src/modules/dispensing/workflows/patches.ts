/**
 * Versioning of the dispensing workflows: each change to a deployed workflow's commands goes
 * behind one of these `patched()` ids, so runs started before it replay unchanged.
 */
export const WATER_PATCHES = {
  /** 2026-12-02: a verified OTP opens the station's valve by an MQTT command and waits for its ack. */
  valveCommand: 'water-valve-command',
  /**
   * 2026-12-02: Daraja, Paystack and Africa's Talking calls run on the gateway worker's queue with
   * bounded retries, and a run whose gateway stays unreachable past them parks as `needs_attention`.
   */
  gatewayQueue: 'water-gateway-task-queue',
} as const;
