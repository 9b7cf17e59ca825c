/** Radius of the sphere PostgreSQL's earthdistance uses (earth()), in metres. */
export const EARTH_RADIUS_M = 6378168;

/** Great-circle distance in metres on earthdistance's sphere (haversine). */
export function haversineMeters(lat1: number, lng1: number, lat2: number, lng2: number, radius = EARTH_RADIUS_M): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * radius * Math.asin(Math.min(1, Math.sqrt(a)));
}
