// Small DOM helpers: no framework, no inline script or style (the CSP forbids both).

/** An element with attributes (on* keys become listeners) and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** How long ago an ISO time was, as "3 h 20 min". */
export function age(iso) {
  if (!iso) return '–';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** A table of rows; each column is [heading, row => cell content]. */
export function table(label, columns, rows, empty = 'Nothing here.') {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h(
    'table',
    { 'aria-label': label },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map(([name]) => h('th', { scope: 'col' }, name)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          columns.map(([, cell]) => h('td', {}, cell(r) ?? '–')),
        ),
      ),
    ),
  );
}

/** A one-line form: inputs then a submit button; `onsubmit` gets the form's values. */
export function inlineForm(label, fields, button, onsubmit) {
  const inputs = fields.map((f) =>
    f.options
      ? h(
          'select',
          { name: f.name, 'aria-label': f.label },
          f.options.map((o) => h('option', { value: o }, o)),
        )
      : h('input', { name: f.name, 'aria-label': f.label, placeholder: f.label, required: f.required !== false, minlength: f.minlength }),
  );
  const form = h('form', { class: 'inline', 'aria-label': label }, inputs, h('button', { type: 'submit' }, button));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onsubmit(Object.fromEntries(new FormData(form).entries()));
  });
  return form;
}

const flashEl = () => document.getElementById('flash');
/** A message in the live region (screen readers announce it). */
export function flash(text, error = false) {
  const el = flashEl();
  el.textContent = text;
  el.className = error ? 'error' : '';
}

/** Replaces the main area's content. */
export function show(...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
}

/** An overview card: a queue's count and how long its oldest item has waited, linking to the queue. */
export function card(c) {
  return h(
    'a',
    { href: c.href, class: `card${c.total ? ' hot' : ''}`, 'data-queue': c.key },
    h('div', {}, c.label),
    h('div', { class: 'n' }, String(c.total)),
    h('div', { class: 'muted' }, c.total ? `oldest ${age(c.since)}` : 'none waiting'),
  );
}

/** The query string of the current hash (`#/water/transactions?otp_status=blocked`). */
export const hashQuery = () => new URLSearchParams(location.hash.split('?')[1] ?? '');

/** Minor units as a decimal amount with its currency. */
export const money = (minor, currency) => `${(Number(minor) / 100).toFixed(2)} ${currency}`;

/** A select that reloads the page's hash with one filter changed (keyboard-usable: it is a plain select). */
export function filterSelect(label, name, options) {
  const q = hashQuery();
  const select = h(
    'select',
    { name, 'aria-label': label },
    ['', ...options].map((o) => h('option', { value: o, selected: q.get(name) === o || undefined }, o || 'all')),
  );
  select.addEventListener('change', () => {
    if (select.value) q.set(name, select.value);
    else q.delete(name);
    location.hash = `${location.hash.split('?')[0]}${q.size ? `?${q}` : ''}`;
  });
  return h('label', {}, `${label} `, select);
}
