import { z } from 'zod';
import { ChargerDeskService } from '../../../modules/charging';
import { WaterDeskService } from '../../../modules/dispensing';
import { KycService } from '../../../modules/identity';
import { FleetDeskService } from '../../../modules/loans';
import { RefundService } from '../../../modules/payments';
import { StationQueryService } from '../../../modules/stations';
import { streamChanges } from '../../http/sse';
import { notificationServiceFor } from './engagement-deps';
import type { SurfaceModule } from '../types';

const STREAM =
  'A text/event-stream: `event: ready` once, then `event: change` whenever what the page shows changed (read it through the ordinary admin paths), `: ping` comments; it ends after 5 minutes (reconnect).';

/**
 * Live updates for the operations console (issue 17): server-sent events on the admin API, authorized
 * like every admin path (the page reads them with fetch and its bearer token). Each stream runs its
 * probe every CONSOLE_REFRESH_SECONDS and says when the answer changed.
 */
export const adminLiveRoutes: SurfaceModule = (routes, deps) => {
  const kyc = new KycService({ orm: deps.orm, notifications: notificationServiceFor(deps) });
  const refunds = new RefundService({ orm: deps.orm, temporal: deps.temporal, config: deps.config });
  const query = new StationQueryService({ orm: deps.orm, minBatteryPercent: deps.config.RENTAL_MIN_BATTERY_PERCENT });
  const desks = [new FleetDeskService({ orm: deps.orm }), new WaterDeskService({ orm: deps.orm }), new ChargerDeskService({ orm: deps.orm })];
  const everyMs = deps.config.CONSOLE_REFRESH_SECONDS * 1000;
  const first = { page: 1, page_size: 1 };

  const overview = async () => {
    const counts = await Promise.all([
      kyc.list({ ...first, status: 'pending', ordering: 'oldest' }).then((r) => r.pagination.total),
      refunds.list({ status: 'pending', page: 1, pageSize: 1 }).then((r) => r.pagination.total),
      refunds.list({ payoutStatus: 'pending', page: 1, pageSize: 1 }).then((r) => r.pagination.total),
      deps.stationAdmin.list({ page: 1, page_size: 100, status: 'offline' }).then((r) => r.results.map((s) => s.sn)),
      deps.attention.list().then((r) => r.length),
      ...desks.map((d) => d.summary()),
    ]);
    return JSON.stringify(counts);
  };
  const station = (sn: string) => async () => {
    const [list, detail] = await Promise.all([deps.stationAdmin.list({ page: 1, page_size: 10, search: sn }), query.detail(sn).catch(() => null)]);
    const s = list.results.find((r) => r.sn === sn);
    const bays = detail?.slots.map((b) => [b.index, b.status, b.battery_level, b.rentable]);
    return JSON.stringify([s?.status, s?.online, s?.maintenance, bays]);
  };

  routes.route({
    method: 'get',
    path: '/admin/live/overview',
    summary: 'Server-sent events: the overview’s queues changed (staff with a second factor; finance too)',
    tags: ['Admin: Console'],
    auth: 'admin',
    roles: ['finance'],
    description: STREAM,
    handler: ({ req, res }) => streamChanges(req, res, { probe: overview, everyMs }),
  });
  routes.route({
    method: 'get',
    path: '/admin/live/stations/:sn',
    summary: 'Server-sent events: a station’s status or bays changed',
    tags: ['Admin: Console'],
    auth: 'admin',
    params: z.object({ sn: z.string().min(1).max(64) }),
    description: STREAM,
    handler: ({ req, res, params }) => streamChanges(req, res, { probe: station(params.sn), everyMs }),
  });
};
