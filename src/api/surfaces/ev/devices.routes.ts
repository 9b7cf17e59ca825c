import { z } from 'zod';
import { ChargerQueryService, CHARGER_STATES, MAX_BOX_LAT_SPAN, MAX_BOX_LNG_SPAN, MAX_BOX_RESULTS } from '../../../modules/charging';
import type { SurfaceModule } from '../types';

const lng = z.coerce.number().min(-180).max(180);
const lat = z.coerce.number().min(-90).max(90);

const ByLocationQuery = z.object({
  'bottom-left-longitude': lng,
  'bottom-left-latitude': lat,
  'upper-right-longitude': lng,
  'upper-right-latitude': lat,
});

export const ChargerSchema = z
  .object({
    _id: z.string().openapi({ example: '12d76c8bfca2a22c07a6fca1' }),
    deviceNumber: z.string(),
    price: z.number().openapi({ description: 'MNT per kWh' }),
    waitingPrice: z.number().openapi({ description: 'MNT per minute plugged in after charging ended' }),
    location: z.tuple([z.number(), z.number()]).openapi({ description: '[longitude, latitude]' }),
    state: z.enum(CHARGER_STATES),
  })
  .openapi('Charger');

/** `GET /devices/by-location` (seed 000). */
export const evDeviceRoutes: SurfaceModule = (routes, deps) => {
  const chargers = new ChargerQueryService(deps);
  routes.route({
    method: 'get',
    path: '/devices/by-location',
    summary: 'Chargers inside a map box',
    description: `Edges included. The bottom-left corner must be south-west of the upper-right one, and the box at most ${MAX_BOX_LNG_SPAN}° by ${MAX_BOX_LAT_SPAN}° (else 400); at most ${MAX_BOX_RESULTS} chargers.`,
    tags: ['Devices'],
    query: ByLocationQuery,
    response: z.array(ChargerSchema),
    handler: ({ query }) =>
      chargers.byLocation({
        minLng: query['bottom-left-longitude'],
        minLat: query['bottom-left-latitude'],
        maxLng: query['upper-right-longitude'],
        maxLat: query['upper-right-latitude'],
      }),
  });
};
