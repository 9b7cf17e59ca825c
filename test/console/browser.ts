import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from '../../src/infra/chromium';

/** Debian's chromium (scripts/setup.ts installs it where missing), or CHROMIUM_PATH. */
export function browserPath(): string {
  const found = process.env.CHROMIUM_PATH ?? chromiumPath();
  if (!found) throw new Error('chromium not found: run `npm run setup` (installs Debian chromium) or set CHROMIUM_PATH');
  return found;
}

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: browserPath(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });

/** A screenshot of the page under test-results/console/ (gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.resolve(__dirname, '../../test-results/console');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
