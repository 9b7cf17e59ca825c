// Stations: a list and a map, and a station page with its bays, remote commands and maintenance.
import { api, config, temporalQueryUrl } from '../api.js';
import { age, flash, h, inlineForm, table } from '../ui.js';
import { stationMap } from '../map.js';

const status = (s) => h('span', { class: `status-${s.status}` }, s.status);

export async function stations(_params, { show }) {
  const data = await api('/admin/stations?page_size=100');
  show(
    h('h1', {}, 'Stations'),
    h('p', { class: 'muted' }, `${data.pagination.total} stations`),
    stationMap(data.results, config.map_tiles),
    table(
      'Stations',
      [
        ['Station', (s) => h('a', { href: `#/stations/${encodeURIComponent(s.sn)}` }, s.sn)],
        ['Name', (s) => s.name],
        ['Status', status],
        ['Last seen', (s) => age(s.last_seen_at)],
        ['Power banks', (s) => `${s.available_power_banks ?? '–'} / ${s.total_slots ?? s.slot_count}`],
      ],
      data.results,
    ),
  );
}

/** A remote command: waits for the API's answer (the device's ack, a failure or a timeout) and shows it. */
let lastResult = { sn: null, text: '' };

async function command(sn, body, refresh) {
  flash(`Sent ${body.command} to ${sn}; waiting for the station…`);
  try {
    const r = await api(`/admin/stations/${encodeURIComponent(sn)}/remote-command`, { method: 'POST', body });
    // Kept outside the page: a live refresh in flight redraws the page without losing it.
    lastResult = { sn, text: `${body.command}${body.slot ? ` slot ${body.slot}` : ''}: ${r.status}${r.ack ? ` ${JSON.stringify(r.ack)}` : ''}` };
    const el = document.getElementById('command-result');
    if (el) el.textContent = lastResult.text;
    flash(`Station answered: ${r.status}.`, r.status !== 'acked');
  } catch (err) {
    flash(`${err.code ?? 'ERROR'}: ${err.message}`, true);
  }
  void refresh;
}

export async function station({ sn }, { refresh, show }) {
  const { results } = await api(`/admin/stations?search=${encodeURIComponent(sn)}&page_size=10`);
  const s = results.find((r) => r.sn === sn);
  if (!s) return show(h('h1', {}, sn), h('p', {}, 'No such station.'));
  const detail = await api(`/app/stations/${encodeURIComponent(sn)}`);
  const keep = lastResult.sn === sn ? lastResult.text : '';
  show(
    h('h1', {}, `${s.sn} · ${s.name ?? ''}`),
    h(
      'p',
      {},
      'Status: ',
      status(s),
      ` · last seen ${age(s.last_seen_at)} ago · `,
      h('a', { href: temporalQueryUrl(`WorkflowId STARTS_WITH 'station-command:${sn}:'`), target: '_blank', rel: 'noopener' }, 'its commands in Temporal'),
    ),
    h('h2', {}, 'Bays'),
    table(
      'Bays',
      [
        ['Slot', (b) => b.index],
        ['Status', (b) => b.status],
        ['Battery', (b) => (b.battery_level === null ? '–' : `${b.battery_level}%`)],
        ['Rentable', (b) => (b.rentable ? 'yes' : 'no')],
        [
          'Eject',
          (b) =>
            b.has_power_bank
              ? h('button', { type: 'button', onclick: () => command(sn, { command: 'eject', slot: b.index }, refresh) }, `Eject slot ${b.index}`)
              : '',
        ],
      ],
      detail.slots,
    ),
    h('h2', {}, 'Remote commands'),
    h(
      'p',
      {},
      ['reboot', 'lock', 'unlock'].map((c) => [
        h('button', { type: 'button', onclick: () => command(sn, { command: c }, refresh) }, c[0].toUpperCase() + c.slice(1)),
        ' ',
      ]),
    ),
    h('pre', { id: 'command-result', class: 'result', 'aria-live': 'polite' }, keep),
    h('h2', {}, 'Maintenance'),
    inlineForm('Maintenance', [{ name: 'reason', label: 'Reason', required: false }], s.maintenance ? 'End maintenance' : 'Start maintenance', async (v) => {
      try {
        await api(`/admin/stations/${encodeURIComponent(sn)}/maintenance`, {
          method: 'POST',
          body: { maintenance: !s.maintenance, ...(v.reason ? { reason: v.reason } : {}) },
        });
        flash(s.maintenance ? 'Maintenance ended.' : 'Station in maintenance.');
      } catch (err) {
        flash(`${err.code ?? 'ERROR'}: ${err.message}`, true);
      }
      await refresh();
    }),
  );
}
