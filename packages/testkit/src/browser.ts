// Real headless Chromium for the web UI suites (design.md: playwright-core + Debian's chromium).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

const CANDIDATES = [process.env.BULWARK_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((p): p is string => typeof p === 'string' && existsSync(p));
  if (!found) throw new Error('Chromium not found: install Debian\'s chromium (.ci/run does) or set BULWARK_CHROMIUM');
  return found;
}

export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and CSP violations seen so far; tests assert it stays empty. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** A fresh browser profile with one page; collects console errors (CSP reports land there). */
export async function openBrowser(): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message: ConsoleMessage) => {
      // HTTP error statuses are expected in tests (404 pages, 401 sign-in); anything else is not.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    return { browser, context, page, problems, close: () => browser.close() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
