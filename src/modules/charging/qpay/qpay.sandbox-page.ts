import type express from 'express';
import type { SandboxInvoice } from './qpay.sandbox';

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function render(inv: SandboxInvoice): string {
  const open = inv.status === 'OPEN';
  const button = (what: string, label: string, color: string) =>
    `<form method="post" action="/__sandbox/invoice/${esc(inv.invoiceId)}/${what}"><button style="background:${color};color:#fff" type="submit">${label}</button></form>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>QPay sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto}form{display:inline-block;margin:.3rem}</style></head>
<body><h1>QPay <small>(local sandbox)</small></h1><h2>${open ? 'Pay this invoice in your bank app' : esc(inv.status)}</h2>
<table><tr><th>Amount</th><td>₮${esc(inv.amount)}</td></tr><tr><th>For</th><td>${esc(inv.description)}</td></tr><tr><th>Invoice</th><td>${esc(inv.invoiceId)}</td></tr></table>
${open ? button('pay', 'Pay', '#2e7d32') + button('cancel', 'Cancel', '#b00020') : ''}</body></html>`;
}

/** The payer's side: the short URL opens the invoice's page, where a person pays or cancels. */
export function qpayPage(
  app: express.Express,
  invoices: Map<string, SandboxInvoice>,
  act: { pay(id: string): Promise<void>; cancel(id: string): Promise<void> },
) {
  app.get('/s/:code', (req, res) => {
    const inv = [...invoices.values()].find((i) => i.shortCode === req.params.code);
    if (!inv) return void res.status(404).type('html').send('<h1>No such invoice</h1>');
    res.redirect(302, `/__sandbox/invoice/${inv.invoiceId}`);
  });
  app.get('/__sandbox/invoice/:id', (req, res) => {
    const inv = invoices.get(req.params.id);
    if (!inv) return void res.status(404).type('html').send('<h1>No such invoice</h1>');
    res.type('html').send(render(inv));
  });
  for (const what of ['pay', 'cancel'] as const)
    app.post(`/__sandbox/invoice/:id/${what}`, async (req, res) => {
      if (!invoices.has(req.params.id)) return void res.status(404).type('html').send('<h1>No such invoice</h1>');
      await act[what](req.params.id).catch(() => undefined);
      res.redirect(303, `/__sandbox/invoice/${req.params.id}`);
    });
}
