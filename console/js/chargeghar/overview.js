// What needs a person now (counts and oldest age), and today's figures from the ledger.
import { api, temporalQueryUrl } from '../api.js';
import { allowed, MONEY } from '../roles.js';
import { card, h, table } from '../ui.js';

const oldest = (rows, field) =>
  rows
    .map((r) => r[field])
    .filter(Boolean)
    .sort()[0];

/** Each queue: where its count comes from, and the field that says how long an item has waited. */
const QUEUES = [
  { key: 'kyc', label: 'KYC waiting', path: '/admin/kyc?status=pending&page_size=100', field: 'submitted_at', href: '#/queues/kyc' },
  { key: 'refunds', roles: MONEY, label: 'Refunds to decide', path: '/admin/refunds/pending?page_size=100', field: 'created_at', href: '#/queues/refunds' },
  {
    key: 'payouts',
    roles: MONEY,
    label: 'Payouts to make',
    path: '/admin/refunds/payouts?status=pending&page_size=100',
    field: 'decided_at',
    href: '#/queues/payouts',
  },
  {
    key: 'review',
    label: 'Rentals flagged by the eject watch',
    path: '/admin/rentals/review?resolved=false&page_size=100',
    field: 'flagged_at',
    href: '#/queues/rentals',
  },
  { key: 'attention', label: 'Workflows needing attention', path: '/admin/attention', field: 'since', href: '#/queues/attention', rows: (d) => d.runs },
  { key: 'issues', label: 'Station issues open', path: '/admin/station-issues?status=open&page_size=100', field: 'created_at', href: '#/queues/issues' },
  { key: 'offline', label: 'Stations offline', path: '/admin/stations?status=offline&page_size=100', field: 'last_seen_at', href: '#/stations' },
];

async function count(q) {
  const data = await api(q.path);
  const rows = q.rows ? q.rows(data) : data.results;
  return { ...q, total: data.pagination?.total ?? rows.length, since: oldest(rows, q.field) };
}

function today(d) {
  const money = (m) => (m ? `${m.amount} ${m.currency}` : '–');
  return table(
    'Today',
    [
      ['Figure', (r) => r[0]],
      ['Value', (r) => r[1]],
    ],
    [
      ['Rentals started', d.rentals.in_period],
      ['Rentals open now', d.rentals.open_now],
      ['Failed ejects', d.rentals.failed_ejects],
      ['Revenue (net)', money(d.revenue.net)],
      ['Top-ups', `${d.topups.count} · ${money(d.topups.total)}`],
      ['Dues outstanding', `${money(d.dues_outstanding.total)} · ${d.dues_outstanding.users} users`],
    ],
  );
}

/** The ChargeGhar part of the overview: its queues' cards and today's figures from the ledger. */
export async function overview() {
  const [cards, dash] = await Promise.all([Promise.all(QUEUES.filter((q) => allowed(q.roles)).map(count)), api('/admin/analytics/dashboard')]);
  return {
    cards: cards.map(card),
    extra: [
      h('h2', {}, `Today · ChargeGhar (${dash.period.time_zone})`),
      today(dash),
      h('p', {}, h('a', { href: temporalQueryUrl("ExecutionStatus='Running'"), target: '_blank', rel: 'noopener' }, 'Running workflows in the Temporal UI')),
    ],
  };
}
