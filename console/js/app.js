// The console's shell: config, sign-in, a hash router over the products' sections, live refresh.
import { config, loadConfig, session } from './api.js';
import { signIn, sessionIsAdmin } from './signin.js';
import { flash, h, show } from './ui.js';
import { chargeghar } from './chargeghar/index.js';
import { ev } from './ev/index.js';
import { fleet } from './fleet/index.js';
import { overviewPage, pollingText } from './overview.js';
import { allowed, MONEY } from './roles.js';
import { subscribe } from './live.js';
import { water } from './water/index.js';

/**
 * Each product adds a section: { name, label, overview(), pages: [{ path, label, nav, render(params) }] },
 * shown when this deployment serves it (config.json's products).
 */
const SECTIONS = [chargeghar, fleet, water, ev];
const served = () => SECTIONS.filter((p) => config.products.some((c) => c.name === p.name && c.api));
const OVERVIEW = {
  name: 'all',
  pages: [{ path: 'overview', label: 'Overview', nav: true, live: () => '/admin/live/overview', roles: MONEY, render: overviewPage(served) }],
};
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

let closeStream = () => undefined;

/** How the shown page stays current: `sse` (the API's server-sent events), `poll` (their fallback), or neither. */
function liveText(mode) {
  document.getElementById('main').dataset.live = mode;
  return mode === 'sse' ? 'live (server-sent events)' : mode === 'poll' ? pollingText() : mode === 'connecting' ? 'connecting…' : '';
}

/**
 * Renders the page of the current hash. A page with `live` (params → its event stream's path)
 * re-renders on each `change` event, or every `refresh_seconds` when the stream cannot be had.
 */
async function route() {
  clearTimeout(timer);
  closeStream();
  closeStream = () => undefined;
  const gen = ++generation;
  if (!session.get()) return start();
  const found = match(location.hash || '#/overview');
  if (!found) return (location.hash = '#/overview');
  renderNav();
  let mode = found.r.live ? 'connecting' : 'static';
  const render = async () => {
    try {
      // A render still in flight when the hash changed must not draw over the new page.
      await found.r.render(found.params, { refresh: route, live: () => liveText(mode), show: (...nodes) => gen === generation && show(...nodes) });
    } catch (err) {
      if (err.status === 401 || err.status === 403) {
        if (err.code !== 'STEP_UP_CANCELLED' && err.code !== 'SELF_ACTION_FORBIDDEN') session.clear();
      }
      flash(`${err.code ?? 'ERROR'}: ${err.message}`, true);
      if (!session.get()) return start();
    }
    if (mode === 'poll' && gen === generation) timer = setTimeout(render, config.refresh_seconds * 1000);
  };
  liveText(mode);
  await render();
  if (!found.r.live || gen !== generation) return;
  closeStream = subscribe(found.r.live(found.params), {
    onLive: () => {
      mode = 'sse';
      const el = document.getElementById('live-state');
      if (el) el.textContent = `Updated ${new Date().toLocaleTimeString()} · ${liveText(mode)}`;
      else liveText(mode);
    },
    onChange: () => gen === generation && render(),
    onLost: () => {
      if (gen !== generation) return;
      mode = 'poll';
      render();
    },
  });
}

async function start() {
  clearTimeout(timer);
  closeStream();
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
