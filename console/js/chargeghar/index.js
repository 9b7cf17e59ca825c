// The ChargeGhar section of the console: its pages over the chargeghar surface's admin API.
import { overview } from './overview.js';
import { queue } from './queues.js';
import { station, stations } from './stations.js';
import { user, users } from './users.js';
import { coupons } from './coupons.js';
import { MONEY } from '../roles.js';

export const chargeghar = {
  name: 'chargeghar',
  label: 'ChargeGhar',
  overview,
  overviewRoles: MONEY,
  pages: [
    { path: 'queues/:name', label: 'Queues', roles: MONEY, render: queue },
    { path: 'queues', label: 'Queues', nav: true, roles: MONEY, render: (_p, ctx) => queue({}, ctx) },
    { path: 'stations', label: 'Stations', nav: true, render: stations },
    { path: 'stations/:sn', label: 'Station', live: (p) => `/admin/live/stations/${encodeURIComponent(p.sn)}`, render: station },
    { path: 'users', label: 'Users', nav: true, render: users },
    { path: 'users/:id', label: 'User', render: user },
    { path: 'coupons', label: 'Coupons', nav: true, render: coupons },
  ],
};
