/// <reference lib="dom" />
// (the DOM types: the callbacks below run in the page; tsc checks them with the rest of the project)
// Real headless Chromium for the HTML report tests (Debian's `chromium`, driven by playwright-core):
// each report is written to a file and opened from file:// — as a mailed or downloaded report is —
// with every request recorded and every request but the document itself aborted, the context
// offline, every console message, page error and dialog recorded.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from './support/tmp.ts';

export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

/** The browser tests' `skip`: as with openssl and kubectl, a machine without Chromium skips them saying why (.ci/run installs it). */
export const chromiumSkip: string | false = fs.existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM`;

export async function launch(): Promise<Browser | undefined> {
  if (chromiumSkip) return undefined;
  // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
}

export interface Opened {
  page: Page;
  context: BrowserContext;
  url: string;
  /** every request the page made, the document's own included */
  requests: string[];
  /** console messages of type error or warning, page errors (uncaught exceptions), CSP violations */
  problems: string[];
  dialogs: string[];
  /** navigation start to the end of the load event, as the page measured it */
  loadMs: number;
  close(): Promise<void>;
}

const dir = tempDir('kg-html-');
let n = 0;

export async function open(browser: Browser, html: string, opts: { javaScript?: boolean; viewport?: { width: number; height: number } } = {}): Promise<Opened> {
  const file = path.join(dir, `report-${++n}.html`);
  fs.writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ javaScriptEnabled: opts.javaScript !== false, viewport: opts.viewport ?? { width: 1280, height: 900 }, offline: true });
  const requests: string[] = [];
  const problems: string[] = [];
  const dialogs: string[] = [];
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  const page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  const loadMs = opts.javaScript === false ? NaN : await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return nav ? nav.loadEventEnd - nav.startTime : NaN;
  });
  return { page, context, url, requests, problems, dialogs, loadMs, close: () => context.close() };
}

/** The ids (f-N: N is the finding's index in the report + 1) of the findings the page shows. */
export async function visibleIds(page: Page): Promise<number[]> {
  return page.$$eval('[data-finding]', (els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => Number(e.id.slice(2))));
}

/** Sets one filter as a user would (select's option by value) and returns the ids shown. */
export async function filter(page: Page, name: string, value: string): Promise<number[]> {
  await page.selectOption(`#filter-${name}`, { value });
  return visibleIds(page);
}

/** 1-based ids of `findings` that pass `keep`. */
export function idsWhere<T>(findings: readonly T[], keep: (f: T) => boolean): number[] {
  return findings.flatMap((f, i) => (keep(f) ? [i + 1] : []));
}
