// The water section (seed 002): OTPs blocked on the overview, transactions with their OTP.
import { api, temporalUrl } from '../api.js';
import { MONEY } from '../roles.js';
import { age, card, filterSelect, h, hashQuery, money, table } from '../ui.js';

const waterApi = (path) => api(path, { product: 'water' });
const run = (id) => h('a', { href: temporalUrl(id), target: '_blank', rel: 'noopener' }, id);

async function overview() {
  const s = await waterApi('/admin/summary');
  return [
    card({
      key: 'water-blocked',
      label: 'Water OTPs blocked',
      total: s.otps_blocked.count,
      since: s.otps_blocked.oldest_at,
      href: '#/water/transactions?otp_status=blocked',
    }),
  ];
}

const otp = (o) =>
  o ? `${o.status} · ${o.attempts}/${o.max_attempts} tries · ${o.pulses_delivered}/${o.pulses} pulses${o.station_id ? ` · ${o.station_id}` : ''}` : '–';

async function transactions(_params, { show }) {
  const q = hashQuery();
  const filters = ['status', 'otp_status'].filter((k) => q.get(k)).map((k) => `&${k}=${encodeURIComponent(q.get(k))}`);
  const data = await waterApi(`/admin/transactions?page_size=100${filters.join('')}`);
  show(
    h('h1', {}, 'Water transactions'),
    h(
      'p',
      {},
      filterSelect('Payment', 'status', ['pending', 'processing', 'completed', 'failed', 'cancelled', 'timeout']),
      ' ',
      filterSelect('OTP', 'otp_status', ['active', 'in_progress', 'used', 'expired', 'blocked']),
      ` · ${data.pagination.total} transactions`,
    ),
    table(
      'Water transactions',
      [
        ['Payment', (t) => run(`water-payment:${t.transaction_reference}`)],
        ['Method', (t) => t.method],
        ['Status', (t) => t.status],
        ['Phone', (t) => t.phone_number],
        ['Amount', (t) => `${money(t.amount_minor, t.currency)} · ${t.liters} L`],
        ['OTP', (t) => (t.otp ? [run(`dispense-otp:${t.transaction_reference}`), ' ', otp(t.otp)] : '–')],
        ['Created', (t) => `${age(t.created_at)} ago`],
      ],
      data.results,
      'No transactions.',
    ),
  );
}

export const water = {
  name: 'water',
  label: 'Water',
  overview,
  overviewRoles: MONEY,
  pages: [{ path: 'water/transactions', label: 'Water', nav: true, roles: MONEY, render: transactions }],
};
