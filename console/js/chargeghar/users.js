// Users: search, a user's detail (wallet, points, dues, rentals, sessions), ban/unban with a reason.
import { api } from '../api.js';
import { flash, h, inlineForm, table } from '../ui.js';

export async function users(_params, { refresh, show }) {
  const q = new URLSearchParams(location.hash.split('?')[1] ?? '').get('q') ?? '';
  const data = await api(`/admin/users?page_size=50${q ? `&search=${encodeURIComponent(q)}` : ''}`);
  const search = inlineForm('Search users', [{ name: 'q', label: 'Phone, email or name', required: false }], 'Search', (v) => {
    location.hash = `#/users?q=${encodeURIComponent(v.q)}`;
    void refresh;
  });
  show(
    h('h1', {}, 'Users'),
    search,
    table(
      'Users',
      [
        ['User', (u) => h('a', { href: `#/users/${u.id}` }, u.email ?? u.phone ?? u.username ?? u.id)],
        ['Name', (u) => u.full_name],
        ['Role', (u) => u.role],
        ['Status', (u) => u.status],
        ['KYC', (u) => u.kyc_status],
      ],
      data.results,
    ),
  );
}

export async function user({ id }, { refresh, show }) {
  const u = await api(`/admin/users/${id}`);
  const banned = u.status !== 'active';
  show(
    h('h1', {}, u.email ?? u.phone ?? u.username ?? u.id),
    table(
      'Account',
      [
        ['Field', (r) => r[0]],
        ['Value', (r) => r[1]],
      ],
      [
        ['Id', u.id],
        ['Role', u.role],
        ['Status', `${u.status}${u.status_reason ? ` (${u.status_reason})` : ''}`],
        ['KYC', u.kyc?.status],
        ['Wallet', `${u.wallet.balance} ${u.wallet.currency}`],
        ['Points', `${u.points.balance} (worth ${u.points.value})`],
        ['Dues', u.dues.amount],
        ['Rentals', u.rentals.total],
        ['Active sessions', u.active_sessions],
        ['Devices', u.devices.map((d) => `${d.platform} ${d.model ?? ''}`).join(', ') || '–'],
      ],
    ),
    h('h2', {}, banned ? 'Restore the account' : 'Ban the account'),
    inlineForm(banned ? 'Unban' : 'Ban', [{ name: 'reason', label: 'Reason', minlength: 3 }], banned ? 'Unban' : 'Ban', async (v) => {
      try {
        await api(`/admin/users/${id}/status`, { method: 'PATCH', body: { status: banned ? 'active' : 'banned', reason: v.reason } });
        flash(banned ? 'Account restored.' : 'Account banned; its sessions ended.');
      } catch (err) {
        flash(`${err.code ?? 'ERROR'}: ${err.message}`, true);
      }
      await refresh();
    }),
    h('h2', {}, 'Recent transactions'),
    table(
      'Recent transactions',
      [
        ['When', (t) => t.created_at ?? t.posted_at],
        ['What', (t) => t.type ?? t.description ?? t.kind],
        ['Amount', (t) => t.amount],
      ],
      u.recent_transactions ?? [],
    ),
  );
}
