/** The HTML payment page every sandbox serves: what is being paid, and buttons that post back. */
export interface PageAction {
  label: string;
  /** Path the button POSTs to (a form post; the sandbox answers with the gateway's redirect). */
  action: string;
  fields?: Record<string, string>;
  tone?: 'primary' | 'danger' | 'plain';
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderPage(opts: { gateway: string; title: string; rows: [string, unknown][]; actions: PageAction[]; note?: string }): string {
  const rows = opts.rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const buttons = opts.actions
    .map((a) => {
      const hidden = Object.entries(a.fields ?? {})
        .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
        .join('');
      return `<form method="post" action="${escapeHtml(a.action)}">${hidden}<button class="${a.tone ?? 'plain'}" type="submit">${escapeHtml(a.label)}</button></form>`;
    })
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(opts.gateway)} sandbox: ${escapeHtml(opts.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}table{width:100%;border-collapse:collapse;margin:1rem 0}
th,td{text-align:left;padding:.3rem;border-bottom:1px solid #ddd}form{display:inline-block;margin:.3rem}button{padding:.6rem 1rem;border:0;border-radius:.3rem;cursor:pointer}
.primary{background:#5c2d91;color:#fff}.danger{background:#b00020;color:#fff}.plain{background:#eee}.note{color:#666;font-size:.9rem}</style></head>
<body><h1>${escapeHtml(opts.gateway)} <small>(local sandbox)</small></h1><h2>${escapeHtml(opts.title)}</h2><table>${rows}</table>
${buttons}${opts.note ? `<p class="note">${escapeHtml(opts.note)}</p>` : ''}</body></html>`;
}
