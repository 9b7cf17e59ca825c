/** The app's map search: a box given by its bottom-left and upper-right corners. Pure. */
export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

/** Wider than this is not a map view: refused (the seed's own example spans 57° by 10°). */
export const MAX_BOX_LNG_SPAN = 60;
export const MAX_BOX_LAT_SPAN = 30;
/** At most this many chargers per answer. */
export const MAX_BOX_RESULTS = 1000;

/** Why a box is refused, or null when it is fine. */
export function boxProblem(b: BBox): string | null {
  if (b.minLng >= b.maxLng || b.minLat >= b.maxLat) return 'the bottom-left corner must be south-west of the upper-right corner';
  if (b.maxLng - b.minLng > MAX_BOX_LNG_SPAN || b.maxLat - b.minLat > MAX_BOX_LAT_SPAN)
    return `the box is too large: at most ${MAX_BOX_LNG_SPAN}° of longitude by ${MAX_BOX_LAT_SPAN}° of latitude`;
  return null;
}

/** The app's state from what the charger last said. */
export function chargerState(c: { connected: boolean; repair: boolean; ocppStatus: string | null }): 'Idle' | 'Busy' | 'Repair' | 'Error' {
  if (c.repair || c.ocppStatus === 'Unavailable') return 'Repair';
  if (!c.connected || c.ocppStatus === 'Faulted' || !c.ocppStatus) return 'Error';
  return c.ocppStatus === 'Available' ? 'Idle' : 'Busy';
}
