// The overview: what needs a person now in every product this deployment serves, each from its own admin API.
import { config } from './api.js';
import { allowed } from './roles.js';
import { h } from './ui.js';

/** One product's part; a product whose API fails says so without hiding the others. */
async function part(p) {
  try {
    const r = await p.overview();
    const { cards, extra = [] } = Array.isArray(r) ? { cards: r } : r;
    return [h('h2', {}, `Needs a person now · ${p.label}`), h('div', { class: 'cards' }, cards), extra];
  } catch (err) {
    if (err.status === 401) throw err;
    return [h('h2', {}, p.label), h('p', { class: 'error' }, `${p.label} could not be read: ${err.code ?? 'ERROR'} ${err.message}`)];
  }
}

export function overviewPage(products) {
  return async (_params, { show, live }) => {
    const parts = await Promise.all(
      products()
        .filter((p) => p.overview)
        .map(part),
    );
    show(h('h1', {}, 'Overview'), h('p', { class: 'muted', id: 'live-state' }, `Updated ${new Date().toLocaleTimeString()} · ${live()}`), parts);
  };
}

export const pollingText = () => `refreshes every ${config.refresh_seconds} s`;
