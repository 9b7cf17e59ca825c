// Coupons: every admin sees them with their usage; only a super admin may switch one off (the API's rule too).
import { api } from '../api.js';
import { allowed } from '../roles.js';
import { flash, h, table } from '../ui.js';

async function switchOff(c, refresh) {
  try {
    await api(`/admin/promotions/coupons/${c.id}`, { method: 'PUT', body: { active: false } });
    flash(`Coupon ${c.code} switched off.`);
  } catch (err) {
    flash(`${err.code ?? 'ERROR'}: ${err.message}`, true);
  }
  await refresh();
}

export async function coupons(_params, { refresh, show }) {
  const data = await api('/admin/promotions/coupons?page_size=100');
  const superAdmin = allowed(['super_admin']);
  show(
    h('h1', {}, 'Coupons'),
    h('p', { class: 'muted' }, superAdmin ? 'As a super admin you may switch coupons off.' : 'Only a super admin may change coupons.'),
    table(
      'Coupons',
      [
        ['Code', (c) => c.code],
        ['Title', (c) => c.title],
        ['Points', (c) => c.points],
        ['Status', (c) => c.status],
        ['Used', (c) => `${c.usage.used}${c.total_limit ? ` / ${c.total_limit}` : ''} by ${c.usage.users} users`],
        ['Expires', (c) => c.expires_at],
        ...(superAdmin ? [['Action', (c) => (c.active ? h('button', { type: 'button', onclick: () => switchOff(c, refresh) }, 'Switch off') : '')]] : []),
      ],
      data.results,
      'No coupons.',
    ),
  );
}
