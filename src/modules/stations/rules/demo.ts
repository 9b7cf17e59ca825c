/**
 * The demo network: stations around Kathmandu with deterministic serials, slots and power banks.
 * The seed writes it to the database and the device simulator plays the same kiosks.
 */
export interface DemoStation {
  sn: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  slots: { index: number; powerBankSn: string | null; batteryLevel: number | null }[];
}

const PLACES: [string, number, number][] = [
  ['Thamel Chowk', 27.7154, 85.3123],
  ['Durbar Marg', 27.7111, 85.3178],
  ['New Road', 27.704, 85.3095],
  ['Patan Durbar Square', 27.6727, 85.3253],
  ['Boudhanath Stupa', 27.7215, 85.362],
  ['Tribhuvan Airport', 27.6966, 85.3591],
  ['Baneshwor', 27.6915, 85.342],
  ['Kalanki', 27.6933, 85.2813],
  ['Maharajgunj', 27.7394, 85.3306],
  ['Jawalakhel', 27.6726, 85.3131],
  ['Civil Mall Sundhara', 27.6996, 85.313],
  ['Labim Mall Pulchowk', 27.6784, 85.3169],
];

export const DEMO_SLOTS_PER_STATION = 8;

export const demoStationSn = (i: number) => `KTM${String(i + 1).padStart(4, '0')}`;

/** Slots of a kiosk: all but the last two bays hold a charged power bank `PB-<sn>-<bay>`. */
export function demoSlots(sn: string, slotsPerStation = DEMO_SLOTS_PER_STATION, seed = 0): DemoStation['slots'] {
  return Array.from({ length: slotsPerStation }, (_, s) => {
    const filled = s < slotsPerStation - 2;
    return { index: s + 1, powerBankSn: filled ? `PB-${sn}-${s + 1}` : null, batteryLevel: filled ? 60 + ((seed * 7 + s * 13) % 41) : null };
  });
}

export function demoStations(count = PLACES.length, slotsPerStation = DEMO_SLOTS_PER_STATION): DemoStation[] {
  return Array.from({ length: count }, (_, i) => {
    const [place, lat, lng] = PLACES[i % PLACES.length];
    const round = Math.floor(i / PLACES.length);
    const sn = demoStationSn(i);
    return {
      sn,
      name: round ? `${place} ${round + 1}` : place,
      address: `${place}, Kathmandu Valley, Nepal`,
      latitude: lat + round * 0.001,
      longitude: lng + round * 0.001,
      // Two bays stay empty so returns have somewhere to go.
      slots: demoSlots(sn, slotsPerStation, i),
    };
  });
}
