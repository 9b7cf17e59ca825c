// The admin API as the console calls it: the admin's own bearer token (sessionStorage, so no
// cookie and nothing for a cross-site request to ride on), a refresh when the access token
// expires, and the authenticator code when a money action needs a fresh second factor.

const KEY = 'stationflow.console.session';
export let config = null;

export async function loadConfig() {
  config = await (await fetch('config.json')).json();
  return config;
}

export const session = {
  get: () => JSON.parse(sessionStorage.getItem(KEY) ?? 'null'),
  set: (s) => sessionStorage.setItem(KEY, JSON.stringify(s)),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The base of a product's API (the chargeghar surface unless said otherwise). */
export const apiBase = (product = 'chargeghar') => config.products.find((p) => p.name === product)?.api ?? '/api';

async function send(path, { method = 'GET', body, headers = {}, product } = {}) {
  const s = session.get();
  const res = await fetch(apiBase(product) + path, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(s ? { Authorization: `Bearer ${s.access_token}` } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  if (res.ok) return json.data ?? json;
  // Each surface's own error envelope: {error:{code,message}}, {error:CODE,message} (water) or {error:message,code} (fleet, EV).
  const err = json.error && typeof json.error === 'object' ? json.error : { code: json.code ?? json.error, message: json.message ?? json.error };
  throw new ApiError(res.status, err.code, err.message, err.details);
}

async function refresh() {
  const s = session.get();
  if (!s?.refresh_token) return false;
  try {
    const t = await send('/auth/refresh', { method: 'POST', body: { refresh_token: s.refresh_token } });
    session.set({ ...s, access_token: t.access_token, refresh_token: t.refresh_token });
    return true;
  } catch {
    return false;
  }
}

/** Asks for the authenticator's current code in the step-up dialog; null when cancelled. */
function askTotp() {
  const dialog = document.getElementById('stepup');
  const input = document.getElementById('stepup-code');
  input.value = '';
  return new Promise((resolve) => {
    const done = (value) => {
      dialog.close();
      resolve(value);
    };
    document.getElementById('stepup-cancel').onclick = () => done(null);
    document.getElementById('stepup-form').onsubmit = (e) => {
      e.preventDefault();
      done(input.value.trim());
    };
    dialog.showModal();
    input.focus();
  });
}

/** Calls the API; refreshes an expired token once, and asks for a TOTP code on STEP_UP_REQUIRED. */
export async function api(path, opts = {}) {
  try {
    return await send(path, opts);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && err.code !== 'INVALID_SECOND_FACTOR' && !opts.retried && (await refresh()))
      return api(path, { ...opts, retried: true });
    if (err instanceof ApiError && err.code === 'STEP_UP_REQUIRED') {
      const code = await askTotp();
      if (!code) throw new ApiError(403, 'STEP_UP_CANCELLED', 'Cancelled: a money action needs your authenticator code');
      return send(path, { ...opts, headers: { ...opts.headers, 'X-TOTP': code } });
    }
    throw err;
  }
}

/** A link to a workflow run in the Temporal UI (its most recent run of that id). */
export function temporalUrl(workflowId) {
  const t = config.temporal_ui;
  return `${t.base_url}/namespaces/${encodeURIComponent(t.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The Temporal UI's workflow list filtered by a visibility query (search attributes). */
export function temporalQueryUrl(query) {
  const t = config.temporal_ui;
  return `${t.base_url}/namespaces/${encodeURIComponent(t.namespace)}/workflows?query=${encodeURIComponent(query)}`;
}
