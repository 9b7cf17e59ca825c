/** The HTML page of a sandbox: what is asked, and buttons that post back. */
export interface SandboxAction {
  label: string;
  action: string;
  fields?: Record<string, string>;
  tone?: 'primary' | 'danger';
}

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderSandboxPage(o: { gateway: string; title: string; rows: [string, unknown][]; actions: SandboxAction[] }): string {
  const rows = o.rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
  const buttons = o.actions
    .map((a) => {
      const hidden = Object.entries(a.fields ?? {})
        .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
        .join('');
      return `<form method="post" action="${esc(a.action)}">${hidden}<button class="${a.tone ?? ''}" type="submit">${esc(a.label)}</button></form>`;
    })
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(o.gateway)} sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto}form{display:inline-block;margin:.3rem}.primary{background:#2e7d32;color:#fff}.danger{background:#b00020;color:#fff}</style></head>
<body><h1>${esc(o.gateway)} <small>(local sandbox)</small></h1><h2>${esc(o.title)}</h2><table>${rows}</table>${buttons}</body></html>`;
}
