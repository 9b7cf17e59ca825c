/**
 * Usernames nobody may register: staff-sounding names and the product's own. Refused with the same
 * answer as a taken one (USERNAME_UNAVAILABLE), so a refusal never confirms an account exists.
 */
const RESERVED = new Set(['admin', 'administrator', 'root', 'support', 'help', 'system', 'staff', 'security', 'chargeghar', 'stationflow', 'operator']);

export function isReservedUsername(username: string): boolean {
  return RESERVED.has(username.toLowerCase().replace(/[._]/g, ''));
}
