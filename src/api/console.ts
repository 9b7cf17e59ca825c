import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Config, SurfaceName } from '../config';

const PRODUCT_LABELS: Record<SurfaceName, string> = { chargeghar: 'ChargeGhar', fleet: 'Fleet', water: 'Water', ev: 'EV charging' };

/** The console's own files: `console/` at the repository root (next to src/ in a checkout, next to dist/ in the image). */
function consoleDir(): string {
  const candidates = [path.resolve(__dirname, '../../console'), path.resolve(__dirname, '../../../console')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
  if (!found) throw new Error(`console files not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Leaflet's dist folder, served from our own origin (no CDN at run time). */
function leafletDir(): string {
  return path.dirname(require.resolve('leaflet/dist/leaflet.js'));
}

/** A strict policy: only our own scripts and styles, the API on our origin, and the map tiles' host for images. */
export function consoleCsp(config: Config): string {
  const tiles = config.CONSOLE_MAP_TILES ? ` ${new URL(config.CONSOLE_MAP_TILES.replace(/\{[a-z]\}/g, 'a')).origin}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data:${tiles}`,
    "connect-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The operations console (issue 17): static pages and ES modules, no build step, calling each
 * served surface's admin API with the admin's own bearer token. `config.json` tells the page
 * where that API is mounted and where the Temporal UI lives.
 */
export function consoleRouter(config: Config): express.Router {
  const router = express.Router();
  // Relative asset URLs need the trailing slash.
  router.get('/', (req, res, next) => (req.originalUrl.split('?')[0].endsWith('/') ? next() : res.redirect(301, `${req.baseUrl}/`)));
  const csp = consoleCsp(config);
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    // The origin only, and only over https: enough for the tile server's policy (it asks for a Referer), never a path.
    res.setHeader('Referrer-Policy', 'strict-origin');
    res.setHeader('Cache-Control', 'no-cache');
    next();
  });
  // Each product this deployment serves, with where its admin API is mounted; the page shows only these.
  const products = config.SURFACES.map((s) => ({ name: s.name, label: PRODUCT_LABELS[s.name], api: s.mount.replace(/\/$/, '') }));
  router.get('/config.json', (_req, res) => {
    res.json({
      products,
      temporal_ui: { base_url: config.CONSOLE_TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE },
      map_tiles: config.CONSOLE_MAP_TILES || null,
      refresh_seconds: config.CONSOLE_REFRESH_SECONDS,
    });
  });
  router.use('/vendor/leaflet', express.static(leafletDir(), { index: false }));
  router.use(express.static(consoleDir(), { index: 'index.html' }));
  return router;
}
