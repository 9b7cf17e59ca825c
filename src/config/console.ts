import { z } from 'zod';

/** The operations console (issue 17): static pages the API process serves, calling the admin API. */
export const consoleConfigShape = {
  /** Where the console is mounted (`/console`); empty turns it off. */
  CONSOLE_PATH: z
    .string()
    .regex(/^(\/[A-Za-z0-9_-]+)*$/, 'must be empty or a path like /console')
    .default('/console'),
  /** The Temporal UI's base URL the console links runs to (`<base>/namespaces/<ns>/workflows/<id>`). */
  CONSOLE_TEMPORAL_UI_URL: z
    .string()
    .regex(/^https?:\/\/[^\s]+[^/\s]$/, 'must be an http(s) URL without a trailing slash')
    .default('http://localhost:8233'),
  /** How often the overview and station pages refresh themselves (polling the API). */
  CONSOLE_REFRESH_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  /** The map's tile URL template; empty = no tiles (the console plots plain coordinates). */
  CONSOLE_MAP_TILES: z
    .string()
    .regex(/^(https:\/\/[^\s]+\{z\}[^\s]*)?$/, 'must be empty or an https URL template with {z}/{x}/{y}')
    .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
};
