// The fleet section (seed 004): loans overdue and batteries disabled on the overview, loans with their EMI state.
import { api, temporalUrl } from '../api.js';
import { MONEY } from '../roles.js';
import { age, card, filterSelect, h, hashQuery, money, table } from '../ui.js';

const fleetApi = (path) => api(path, { product: 'fleet' });

async function overview() {
  const s = await fleetApi('/admin/summary');
  return [
    card({ key: 'fleet-overdue', label: 'Loans overdue', total: s.loans_overdue.count, since: s.loans_overdue.oldest_at, href: '#/fleet/loans?overdue=true' }),
    card({
      key: 'fleet-disabled',
      label: 'Batteries disabled',
      total: s.batteries_disabled.count,
      since: s.batteries_disabled.oldest_at,
      href: '#/fleet/loans?status=disabled',
    }),
  ];
}

const emiState = (l) =>
  l.emi.overdue
    ? `${l.emi.overdue} overdue (${l.emi.days_overdue} d), owes ${money(l.emi.owed_paise, 'INR')}`
    : `${l.emi.paid}/${l.tenure_months} paid${l.emi.next_due ? `, next ${l.emi.next_due}` : ''}`;

async function loans(_params, { show }) {
  const q = hashQuery();
  const filters = ['status', 'overdue'].filter((k) => q.get(k)).map((k) => `&${k}=${encodeURIComponent(q.get(k))}`);
  const data = await fleetApi(`/admin/loans?page_size=100${filters.join('')}`);
  show(
    h('h1', {}, 'Fleet loans'),
    h(
      'p',
      {},
      filterSelect('Loan status', 'status', ['current', 'overdue', 'disabled', 'closed']),
      ' ',
      filterSelect('EMI overdue', 'overdue', ['true']),
      ` · ${data.pagination.total} loans`,
    ),
    table(
      'Fleet loans',
      [
        ['Loan', (l) => h('a', { href: temporalUrl(`emi:${l.id}`), target: '_blank', rel: 'noopener' }, `emi:${l.id}`)],
        ['Consumer', (l) => l.consumer.name],
        ['Battery', (l) => `${l.battery.serial} (${l.battery.status})`],
        ['Status', (l) => h('span', { class: `status-${l.status}` }, l.status)],
        ['EMI', (l) => `${money(l.emi_paise, 'INR')} × ${l.tenure_months}`],
        ['EMI state', emiState],
        ['Disbursed', (l) => `${age(l.disbursed_at)} ago`],
      ],
      data.results,
      'No loans.',
    ),
  );
}

export const fleet = {
  name: 'fleet',
  label: 'Fleet',
  overview,
  overviewRoles: MONEY,
  pages: [{ path: 'fleet/loans', label: 'Loans', nav: true, roles: MONEY, render: loans }],
};
