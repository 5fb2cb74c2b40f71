import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';

/** Debian's chromium, installed by `npm run setup`: nothing downloads a browser build. */
const CHROMIUM = '/usr/bin/chromium';
// Headless, and none of Chromium's own calls home (the machine may have no network at all).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where the browser tests save their screenshots (git-ignored). */
export const SCREENSHOTS = join(__dirname, '..', 'screenshots');

/** A headless Chromium with a fresh profile that records every request and response it makes. */
export interface Browser {
  page: Page;
  context: BrowserContext;
  /** Every URL the pages asked for, in order. */
  requests: string[];
  /** Every response the pages received. */
  responses: Response[];
  /** Saves a full-page screenshot as `<name>.png` under SCREENSHOTS and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Opens Debian's Chromium headless with a new empty profile. */
export async function openBrowser(options: { width?: number; height?: number; locale?: string } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'hub-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: FLAGS,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, locale: options.locale ?? 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const requests: string[] = [];
  const responses: Response[] = [];
  context.on('request', (request) => requests.push(request.url()));
  context.on('response', (response) => responses.push(response));
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page, context, requests, responses,
    async screenshot(name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Whether a URL the page asked for stays on this machine (loopback, or the page's own data/blob URLs). */
export function staysOnThisMachine(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  const { hostname } = new URL(url);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** axe-core's serious and critical accessibility violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<Array<{ id: string; impact: string; targets: string[] }>> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
