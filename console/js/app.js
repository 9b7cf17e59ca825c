// The console's shell: config, sign-in, a hash router over the products' sections, live refresh.
import { config, loadConfig, session } from './api.js';
import { signIn, sessionIsAdmin } from './signin.js';
import { flash, h, show } from './ui.js';
import { chargeghar } from './chargeghar/index.js';
import { ev } from './ev/index.js';
import { fleet } from './fleet/index.js';
import { overviewPage, pollingText } from './overview.js';
import { allowed, MONEY } from './roles.js';
import { water } from './water/index.js';

/**
 * Each product adds a section: { name, label, overview(), pages: [{ path, label, nav, render(params) }] },
 * shown when this deployment serves it (config.json's products).
 */
const SECTIONS = [chargeghar, fleet, water, ev];
const served = () => SECTIONS.filter((p) => config.products.some((c) => c.name === p.name && c.api));
const OVERVIEW = { name: 'all', pages: [{ path: 'overview', label: 'Overview', nav: true, live: true, roles: MONEY, render: overviewPage(served) }] };
let timer = null;
let generation = 0;

/** The pages the signed-in role may see (each page names its roles; admins only when it names none). */
function routes() {
  return [OVERVIEW, ...served()].flatMap((p) => p.pages.filter((page) => allowed(page.roles)).map((page) => ({ ...page, product: p })));
}

function match(hash) {
  const parts = hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean);
  for (const r of routes()) {
    const want = r.path.split('/').filter(Boolean);
    if (want.length !== parts.length) continue;
    const params = {};
    if (want.every((w, i) => (w.startsWith(':') ? ((params[w.slice(1)] = decodeURIComponent(parts[i])), true) : w === parts[i]))) return { r, params };
  }
  return null;
}

function renderNav() {
  const nav = document.getElementById('nav');
  const current = location.hash || '#/overview';
  nav.replaceChildren(
    ...routes()
      .filter((r) => r.nav)
      .map((r) => h('a', { href: `#/${r.path}`, 'aria-current': current === `#/${r.path}` ? 'page' : undefined }, r.label)),
  );
  nav.hidden = false;
  document.getElementById('signout').hidden = false;
  const u = session.get()?.user;
  document.getElementById('who').textContent = u ? `${u.email ?? u.phone ?? ''} · ${u.role}` : '';
}

/** Renders the page of the current hash; pages with `live` re-render every `refresh_seconds` while shown. */
async function route() {
  clearTimeout(timer);
  const gen = ++generation;
  if (!session.get()) return start();
  const found = match(location.hash || '#/overview');
  if (!found) return (location.hash = '#/overview');
  renderNav();
  const render = async () => {
    try {
      // A render still in flight when the hash changed must not draw over the new page.
      await found.r.render(found.params, { refresh: route, live: pollingText, show: (...nodes) => gen === generation && show(...nodes) });
    } catch (err) {
      if (err.status === 401 || err.status === 403) {
        if (err.code !== 'STEP_UP_CANCELLED' && err.code !== 'SELF_ACTION_FORBIDDEN') session.clear();
      }
      flash(`${err.code ?? 'ERROR'}: ${err.message}`, true);
      if (!session.get()) return start();
    }
    if (found.r.live && gen === generation) timer = setTimeout(render, config.refresh_seconds * 1000);
  };
  await render();
}

async function start() {
  clearTimeout(timer);
  document.getElementById('nav').hidden = true;
  document.getElementById('signout').hidden = true;
  document.getElementById('who').textContent = '';
  signIn(() => {
    location.hash = '#/overview';
    route();
  });
}

async function main() {
  await loadConfig();
  document.getElementById('signout').addEventListener('click', async () => {
    const { api } = await import('./api.js');
    await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
    session.clear();
    start();
  });
  window.addEventListener('hashchange', route);
  if (await sessionIsAdmin()) route();
  else if (!document.getElementById('flash').textContent) start();
  else signIn(() => route(), true);
}

main().catch((err) => show(h('p', {}, `The console could not start: ${err.message}`)));
