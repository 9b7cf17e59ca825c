// The queues people work through: each row with its record, a Temporal link where a run exists, and its action.
import { api, temporalUrl } from '../api.js';
import { allowed, MONEY } from '../roles.js';
import { age, flash, h, inlineForm, table } from '../ui.js';

const who = (u) => (u ? (u.email ?? u.phone ?? u.username ?? u.id) : '–');
const run = (id) => h('a', { href: temporalUrl(id), target: '_blank', rel: 'noopener' }, id);
const userLink = (id) => (id ? h('a', { href: `#/users/${id}` }, id.slice(0, 8)) : '–');

/** Runs an action, says what happened, and re-renders the queue (the API is the judge of every action). */
function act(done, fn) {
  return async (values) => {
    try {
      await fn(values);
      flash(done);
    } catch (err) {
      flash(`${err.code ?? 'ERROR'}: ${err.message}`, true);
    }
    await this_refresh();
  };
}
let this_refresh = async () => undefined;

const button = (label, onclick) => h('button', { type: 'button', onclick: () => onclick({}) }, label);

const QUEUES = {
  kyc: {
    title: 'KYC waiting',
    path: '/admin/kyc?status=pending&page_size=100',
    columns: [
      ['User', (r) => [who(r.user), ' ', userLink(r.user_id)]],
      ['Name', (r) => r.full_name],
      ['Document', (r) => `${r.document_type ?? ''} ${r.citizenship_number ?? ''}`],
      [
        'Documents',
        (r) =>
          [r.document_front_url, r.document_back_url]
            .filter(Boolean)
            .map((u, i) => h('a', { href: u, target: '_blank', rel: 'noopener' }, i ? ' back' : 'front')),
      ],
      ['Waiting', (r) => age(r.submitted_at)],
      [
        'Action',
        (r) => [
          button(
            'Approve',
            act('KYC approved.', () => api(`/admin/kyc/${r.id}/approve`, { method: 'POST' })),
          ),
          inlineForm(
            'Reject KYC',
            [{ name: 'reason', label: 'Reason' }],
            'Reject',
            act('KYC rejected.', (v) => api(`/admin/kyc/${r.id}/reject`, { method: 'POST', body: v })),
          ),
        ],
      ],
    ],
  },
  refunds: {
    title: 'Refunds to decide',
    roles: MONEY,
    path: '/admin/refunds/pending?page_size=100',
    columns: [
      ['Refund', (r) => run(`refund:${r.id}`)],
      ['User', (r) => userLink(r.user_id)],
      ['Amount', (r) => `${r.amount} ${r.currency}`],
      ['Gateway', (r) => r.gateway],
      ['Reason', (r) => r.reason],
      ['Waiting', (r) => age(r.created_at)],
      [
        'Action',
        (r) => [
          button(
            'Approve refund',
            act('Refund approved.', () => api(`/admin/refunds/${r.id}/approve`, { method: 'POST' })),
          ),
          inlineForm(
            'Reject refund',
            [{ name: 'reason', label: 'Reason' }],
            'Reject',
            act('Refund rejected.', (v) => api(`/admin/refunds/${r.id}/reject`, { method: 'POST', body: v })),
          ),
        ],
      ],
    ],
  },
  payouts: {
    title: 'Payouts to make',
    roles: MONEY,
    path: '/admin/refunds/payouts?status=pending&page_size=100',
    columns: [
      ['Refund', (r) => run(`refund:${r.id}`)],
      ['User', (r) => userLink(r.user_id)],
      ['Amount', (r) => `${r.amount} ${r.currency}`],
      ['Gateway', (r) => r.gateway],
      ['Approved', (r) => age(r.decided_at)],
      [
        'Action',
        (r) =>
          inlineForm(
            'Record payout',
            [
              { name: 'reference', label: 'Bank or wallet reference', minlength: 3 },
              { name: 'note', label: 'Note', required: false },
            ],
            'Record payout',
            act('Payout recorded.', (v) =>
              api(`/admin/refunds/${r.id}/payout`, { method: 'POST', body: { reference: v.reference, ...(v.note ? { note: v.note } : {}) } }),
            ),
          ),
      ],
    ],
  },
  rentals: {
    title: 'Rentals flagged by the eject watch',
    path: '/admin/rentals/review?resolved=false&page_size=100',
    columns: [
      ['Rental', (r) => run(`rental:${r.rental_id}`)],
      ['Why', (r) => `${r.reason}${r.failure_code ? ` (${r.failure_code})` : ''}`],
      ['Station · slot', (r) => h('a', { href: `#/stations/${r.station_sn}` }, `${r.station_sn} · ${r.slot}`)],
      ['Power bank', (r) => `${r.power_bank_sn ?? '–'} ${r.power_bank?.status ?? ''}`],
      ['User', (r) => [who(r.user), ' ', userLink(r.user?.id)]],
      ['Flagged', (r) => age(r.flagged_at)],
      [
        'Action',
        (r) =>
          inlineForm(
            'Resolve review',
            [
              { name: 'resolution', label: 'Resolution', options: ['power_bank_recovered', 'written_off', 'no_issue'] },
              { name: 'note', label: 'Note', required: false },
            ],
            'Resolve',
            act('Review resolved.', (v) =>
              api(`/admin/rentals/${r.rental_id}/review/resolve`, { method: 'POST', body: { resolution: v.resolution, ...(v.note ? { note: v.note } : {}) } }),
            ),
          ),
      ],
    ],
  },
  attention: {
    title: 'Workflows needing attention',
    path: '/admin/attention',
    rows: (d) => d.runs,
    columns: [
      ['Run', (r) => run(r.workflow_id)],
      ['Kind', (r) => r.kind],
      ['Step', (r) => r.step],
      ['Reason', (r) => r.reason],
      ['Since', (r) => age(r.since)],
      [
        'Action',
        (r) =>
          inlineForm(
            'Decide',
            [
              { name: 'action', label: 'Action', options: ['retry', 'resolve'] },
              { name: 'note', label: 'Note', required: false },
            ],
            'Send',
            act('Sent to the workflow.', (v) =>
              api(`/admin/attention/${r.kind}/${r.id}`, { method: 'POST', body: { action: v.action, ...(v.note ? { note: v.note } : {}) } }),
            ),
          ),
      ],
    ],
  },
  issues: {
    title: 'Station issues open',
    path: '/admin/station-issues?status=open&page_size=100',
    columns: [
      ['Station', (r) => h('a', { href: `#/stations/${r.station.sn}` }, `${r.station.sn} ${r.station.name ?? ''}`)],
      ['Type', (r) => r.type],
      ['Description', (r) => r.description],
      ['Reported', (r) => age(r.created_at)],
      [
        'Action',
        (r) => [
          button(
            'Acknowledge',
            act('Issue acknowledged.', () => api(`/admin/station-issues/${r.id}`, { method: 'PATCH', body: { status: 'acknowledged' } })),
          ),
          inlineForm(
            'Resolve issue',
            [{ name: 'resolution_note', label: 'Note' }],
            'Resolve',
            act('Issue resolved.', (v) => api(`/admin/station-issues/${r.id}`, { method: 'PATCH', body: { status: 'resolved', ...v } })),
          ),
        ],
      ],
    ],
  },
};

/** The queues the signed-in role may work (the API refuses the others anyway). */
const mine = () => Object.entries(QUEUES).filter(([, q]) => allowed(q.roles));

export async function queue({ name }, { refresh, show }) {
  const [key, q] = mine().find(([k]) => k === name) ?? mine()[0];
  this_refresh = refresh;
  const data = await api(q.path);
  const rows = q.rows ? q.rows(data) : data.results;
  show(
    h('h1', {}, q.title),
    h(
      'p',
      {},
      mine().map(([k, v]) => [h('a', { href: `#/queues/${k}`, 'aria-current': k === key ? 'page' : undefined }, v.title), ' · ']),
    ),
    table(q.title, q.columns, rows, 'Nothing waiting.'),
  );
}
