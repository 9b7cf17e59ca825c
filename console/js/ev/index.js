// The EV section (seed 000): chargers faulted on the overview, chargers with their status.
import { api, temporalQueryUrl } from '../api.js';
import { age, card, filterSelect, h, hashQuery, table } from '../ui.js';

const evApi = (path) => api(path, { product: 'ev' });

async function overview() {
  const s = await evApi('/admin/summary');
  return [
    card({
      key: 'ev-faulted',
      label: 'Chargers faulted',
      total: s.chargers_faulted.count,
      since: s.chargers_faulted.oldest_at,
      href: '#/ev/chargers?faulted=true',
    }),
  ];
}

async function chargers(_params, { show }) {
  const q = hashQuery();
  const filters = ['state', 'faulted'].filter((k) => q.get(k)).map((k) => `&${k}=${encodeURIComponent(q.get(k))}`);
  const data = await evApi(`/admin/chargers?page_size=100${filters.join('')}`);
  show(
    h('h1', {}, 'EV chargers'),
    h('p', {}, filterSelect('State', 'state', ['Idle', 'Busy', 'Repair', 'Error']), ` · ${data.pagination.total} chargers`),
    table(
      'EV chargers',
      [
        ['Charger', (c) => c.device_number],
        ['State', (c) => h('span', { class: `status-${c.state.toLowerCase()}` }, c.state)],
        ['OCPP status', (c) => c.ocpp_status],
        ['Connected', (c) => (c.connected ? 'yes' : 'no')],
        ['Repair', (c) => (c.repair ? 'yes' : 'no')],
        ['Last heard', (c) => (c.last_seen_at ? `${age(c.last_seen_at)} ago` : 'never')],
        ['Location', (c) => `${c.latitude.toFixed(4)}, ${c.longitude.toFixed(4)}`],
      ],
      data.results,
      'No chargers.',
    ),
    h(
      'p',
      {},
      h('a', { href: temporalQueryUrl("WorkflowId STARTS_WITH 'charging:'"), target: '_blank', rel: 'noopener' }, 'Charging sessions in the Temporal UI'),
    ),
  );
}

export const ev = {
  name: 'ev',
  label: 'EV charging',
  overview,
  pages: [{ path: 'ev/chargers', label: 'Chargers', nav: true, render: chargers }],
};
