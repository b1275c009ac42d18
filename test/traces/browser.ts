// Opening rendered HTML in Debian's Chromium through playwright-core, for the browser tests.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export const scratch = mkdtempSync(join(tmpdir(), 'ksim-html-'));

/**
 * Writes the page to a temp file, opens it from file://, waits until `window[ready]` is set (the
 * page's test-facing handle) and a frame is drawn. A page error, a console error or any request
 * beyond the file itself fails the open.
 */
export async function openHtml(browser: Browser, html: string, name: string, viewport = { width: 1400, height: 760 }, ready = 'ksimView'): Promise<Page> {
  const path = join(scratch, `${name}.html`);
  writeFileSync(path, html);
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('request', (request) => {
    if (request.url() !== pathToFileURL(path).href) errors.push(`request: ${request.url()}`);
  });
  await page.goto(pathToFileURL(path).href);
  await page.waitForFunction((key) => (globalThis as unknown as Record<string, unknown>)[key] !== undefined, ready);
  await frame(page);
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
  return page;
}

type Raf = { requestAnimationFrame(fn: () => void): number };

/** Waits until the page has drawn whatever was scheduled. */
export async function frame(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => {
    const raf = (globalThis as unknown as Raf).requestAnimationFrame;
    raf(() => raf(() => resolve()));
  }));
}

/** What the page's `window.ksimView` offers (the test-facing handle of the HTML view). */
export interface Counts {
  arrows: number; arrowsInView: number; arrowsTotal: number; arrowsDropped: number;
  faultBands: number; faultBandRects: number; markers: number; markersInView: number; markersTotal: number;
  globals: number; ticks: number; tickStep: number;
}
export interface DrawnArrow { index: number; type: string; id: number; from: string; to: string; outcome: string; x1: number; y1: number; x2: number; y2: number }
export interface DrawnMarker { index: number; kind: string; category: string; lane: string; x: number; y: number }
export interface DrawnBand { index: number; kind: string; label: string; x0: number; x1: number; y0: number; y1: number }
interface KsimView {
  range(): { start: number; end: number };
  setRange(start: number, end: number): void;
  fit(): void;
  counts(): Counts;
  drawnArrows(): DrawnArrow[];
  drawnMarkers(): DrawnMarker[];
  drawnBands(): DrawnBand[];
}
type WithView = { ksimView: KsimView };

export function counts(page: Page): Promise<Counts> {
  return page.evaluate(() => (globalThis as unknown as WithView).ksimView.counts());
}
export function range(page: Page): Promise<{ start: number; end: number }> {
  return page.evaluate(() => (globalThis as unknown as WithView).ksimView.range());
}
export async function setRange(page: Page, start: number, end: number): Promise<void> {
  await page.evaluate(([a, b]) => (globalThis as unknown as WithView).ksimView.setRange(a!, b!), [start, end]);
  await frame(page);
}
export function drawnArrows(page: Page): Promise<DrawnArrow[]> {
  return page.evaluate(() => (globalThis as unknown as WithView).ksimView.drawnArrows());
}
export function drawnMarkers(page: Page): Promise<DrawnMarker[]> {
  return page.evaluate(() => (globalThis as unknown as WithView).ksimView.drawnMarkers());
}
export function drawnBands(page: Page): Promise<DrawnBand[]> {
  return page.evaluate(() => (globalThis as unknown as WithView).ksimView.drawnBands());
}
