// The stations' map: Leaflet with the configured tile layer, or a plain plot of coordinates when
// Leaflet or the tiles cannot load (no tiles configured, offline, or blocked).
import { h } from './ui.js';

let leaflet = null;
async function loadLeaflet() {
  if (leaflet !== null) return leaflet;
  leaflet = await new Promise((resolve) => {
    const s = document.createElement('script');
    s.src = 'vendor/leaflet/leaflet.js';
    s.onload = () => resolve(window.L ?? false);
    s.onerror = () => resolve(false);
    document.head.append(s);
  });
  return leaflet;
}

function plot(el, stations, mode = 'plot') {
  const pts = stations.filter((s) => s.latitude !== null && s.longitude !== null);
  if (!pts.length) return;
  const lats = pts.map((s) => s.latitude);
  const lngs = pts.map((s) => s.longitude);
  const [minLat, maxLat, minLng, maxLng] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
  el.replaceChildren(
    ...pts.map((s) => {
      const dot = h('a', {
        href: `#/stations/${encodeURIComponent(s.sn)}`,
        class: `plot-dot${s.online ? '' : ' offline'}`,
        title: `${s.sn} ${s.status}`,
        'aria-label': `${s.sn} ${s.status}`,
      });
      dot.style.left = `${5 + 90 * ((s.longitude - minLng) / (maxLng - minLng || 1))}%`;
      dot.style.top = `${5 + 90 * (1 - (s.latitude - minLat) / (maxLat - minLat || 1))}%`;
      return dot;
    }),
  );
  el.dataset.mode = mode;
}

export function stationMap(stations, tiles) {
  const el = h('div', { id: 'map', role: 'region', 'aria-label': 'Map of stations' });
  plot(el, stations);
  if (!tiles) return el;
  loadLeaflet().then((L) => {
    if (!L || !el.isConnected) return;
    const pts = stations.filter((s) => s.latitude !== null && s.longitude !== null);
    el.replaceChildren();
    const map = L.map(el);
    let failed = 0;
    L.tileLayer(tiles, { maxZoom: 19, attribution: '© OpenStreetMap contributors' })
      .on('tileerror', () => {
        if (++failed === 4) (map.remove(), plot(el, stations, 'plot-no-tiles'));
      })
      .addTo(map);
    for (const s of pts)
      L.circleMarker([s.latitude, s.longitude], { radius: 7, color: s.online ? '#0a6b2a' : '#a40000' })
        .bindPopup(h('span', {}, `${s.sn} · ${s.status}`))
        .addTo(map);
    if (pts.length)
      map.fitBounds(
        pts.map((s) => [s.latitude, s.longitude]),
        { maxZoom: 15, padding: [20, 20] },
      );
    else map.setView([27.7, 85.32], 12);
    el.dataset.mode = 'leaflet';
  });
  return el;
}
