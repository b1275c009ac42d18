// The HTML view in a real browser (Debian's Chromium via playwright-core): lanes, arrows and fault
// bands are drawn and match the data, hover and click show a record, zoom and pan change the
// visible time range, a long trace stays usable. Without /usr/bin/chromium the suite is skipped,
// except under CI, where it fails. KSIM_WRITE_EXAMPLE=1 also writes docs/trace-example.png.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../sim/trace-record.js';
import { exampleTrace, MAX_ARROWS_PER_VIEW, renderHtml } from '../../traces/index.js';
import {
  CHROMIUM_PATH, chromiumInstalled, counts, drawnArrows, drawnBands, drawnMarkers, frame, launchChromium, openHtml, range, scratch, setRange,
} from './browser.js';
import { FIXTURE, FIXTURE_COUNTS } from './fixture.js';

const installed = chromiumInstalled();

if (!installed && process.env['CI'] !== undefined) {
  it('needs Chromium', () => {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (the browser tests cannot run without it)`);
  });
}

type Pixels = { document: { getElementById(id: string): { getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } }; getBoundingClientRect(): { left: number; top: number } } }; devicePixelRatio: number };

/** The canvas pixel at a client position: [r, g, b, a]. */
function pixel(page: Page, x: number, y: number): Promise<number[]> {
  return page.evaluate(([cx, cy]) => {
    const g = globalThis as unknown as Pixels;
    const canvas = g.document.getElementById('canvas');
    const box = canvas.getBoundingClientRect();
    const ratio = g.devicePixelRatio;
    return Array.from(canvas.getContext('2d').getImageData(Math.round((cx! - box.left) * ratio), Math.round((cy! - box.top) * ratio), 1, 1).data);
  }, [x, y]);
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? '';
}

/** The example trace repeated with shifted times and ids: 100k+ records. */
function longTrace(): TraceRecord[] {
  const base = exampleTrace();
  const records: TraceRecord[] = [];
  for (let k = 0; k < 130; k++) {
    for (const r of base) records.push({ ...r, t: r.t + k * 4_600_000, ...(typeof r['id'] === 'number' ? { id: r['id'] + k * 100_000 } : {}) });
  }
  return records;
}

describe.skipIf(!installed)('the HTML view in Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openHtml(browser, renderHtml(FIXTURE, { title: 'fixture' }), 'fixture');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws a lane per node, in order, lined up with the canvas', async () => {
    const lanes = page.locator('[data-lane]');
    expect(await lanes.evaluateAll((els) => els.map((el) => (el as unknown as { dataset: { lane: string } }).dataset.lane))).toEqual(FIXTURE_COUNTS.lanes);
    const markers = await drawnMarkers(page);
    for (const lane of FIXTURE_COUNTS.lanes) {
      const box = (await page.locator(`[data-lane="${lane}"]`).boundingBox())!;
      const onLane = markers.filter((m) => m.lane === lane);
      expect(onLane.length).toBeGreaterThan(0);
      for (const marker of onLane) expect(Math.abs(marker.y - (box.y + box.height / 2))).toBeLessThan(2);
    }
  });

  it('draws every arrow, fault band and marker of the data when it all fits', async () => {
    const drawn = await counts(page);
    expect(drawn.arrows).toBe(FIXTURE_COUNTS.messages);
    expect(drawn.arrowsTotal).toBe(FIXTURE_COUNTS.messages);
    expect(drawn.arrowsDropped).toBe(FIXTURE_COUNTS.dropped);
    expect(drawn.faultBands).toBe(FIXTURE_COUNTS.faultPeriods);
    expect(drawn.markers).toBe(drawn.markersTotal);
    expect(drawn.markers).toBeGreaterThan(20);
    const diagram = page.locator('#diagram');
    expect(await diagram.getAttribute('data-arrows-drawn')).toBe(String(FIXTURE_COUNTS.messages));
    expect(await diagram.getAttribute('data-fault-bands-drawn')).toBe(String(FIXTURE_COUNTS.faultPeriods));
    const arrows = await drawnArrows(page);
    expect(arrows.filter((a) => a.outcome === 'dropped').map((a) => `${a.type} ${a.from}→${a.to}`)).toEqual(['Fetch b2→b1', 'Produce p1→b1']);
  });

  it('really paints the bands and the arrows', async () => {
    const bands = await drawnBands(page);
    expect(bands.map((b) => b.kind)).toEqual(['partition', 'crash']);
    const crash = bands[1]!;
    const [r, g, b] = await pixel(page, (crash.x0 + crash.x1) / 2, crash.y0 + 4);
    expect(r! + g! + b!).toBeLessThan(3 * 245);
    const arrow = (await drawnArrows(page))[0]!;
    const [ar, ag, ab] = await pixel(page, (arrow.x1 + arrow.x2) / 2, (arrow.y1 + arrow.y2) / 2);
    expect(ar! + ag! + ab!).toBeLessThan(3 * 235);
  });

  it('shows an arrow\'s details on hover and pins them on click', async () => {
    const drop = (await drawnArrows(page)).find((a) => a.type === 'Fetch' && a.outcome === 'dropped')!;
    const x = drop.x1 + (drop.x2 - drop.x1) * 0.5;
    const y = drop.y1 + (drop.y2 - drop.y1) * 0.5;
    await page.mouse.move(x, y);
    await expect.poll(() => page.locator('#tooltip').isVisible()).toBe(true);
    const tip = await text(page, '#tooltip');
    expect(tip).toContain('Fetch #7: b2 → b1');
    expect(tip).toContain('dropped');
    expect(tip).toContain('cut');
    await page.mouse.click(x, y);
    expect(await text(page, '#details')).toContain('Fetch #7: b2 → b1');
    await page.keyboard.press('Escape');
    expect(await text(page, '#details')).not.toContain('Fetch #7');
  });

  it('shows a marker\'s record and a band\'s period', async () => {
    const truncate = (await drawnMarkers(page)).find((m) => m.kind === 'truncate')!;
    await page.mouse.move(truncate.x, truncate.y);
    await expect.poll(() => text(page, '#tooltip')).toContain('log truncated from 2 to 1');
    expect(await text(page, '#tooltip')).toContain('partition');
    const crash = (await drawnBands(page)).find((b) => b.kind === 'crash')!;
    await page.mouse.move(crash.x1 - 3, crash.y0 + 3);
    await expect.poll(() => text(page, '#tooltip')).toContain('crash b3');
    expect(await text(page, '#tooltip')).toContain('1.500 ms');
    await page.mouse.move(2, 2);
  });

  it('zooms around the pointer with the wheel, and the axis rescales', async () => {
    await page.keyboard.press('0');
    await frame(page);
    const before = await range(page);
    const ticksBefore = (await counts(page)).tickStep;
    const canvas = (await page.locator('#canvas').boundingBox())!;
    const x = canvas.x + canvas.width * 0.3;
    const timeAt = (r: { start: number; end: number }): number => r.start + (r.end - r.start) * 0.3;
    await page.mouse.move(x, canvas.y + 20);
    await page.mouse.wheel(0, -600);
    await expect.poll(async () => (await range(page)).end - (await range(page)).start).toBeLessThan((before.end - before.start) / 2);
    const after = await range(page);
    expect(Math.abs(timeAt(after) - timeAt(before))).toBeLessThan((before.end - before.start) * 0.01);
    expect((await counts(page)).tickStep).toBeLessThan(ticksBefore);
    expect(await text(page, '#range')).not.toBe('');
  });

  it('zooms and pans with the buttons, the keyboard and a drag', async () => {
    await page.click('#zoom-fit');
    await frame(page);
    const full = await range(page);
    await page.click('#zoom-in');
    await frame(page);
    const zoomed = await range(page);
    expect(zoomed.end - zoomed.start).toBeCloseTo((full.end - full.start) / 2, 0);
    await page.keyboard.press('ArrowRight');
    await frame(page);
    const panned = await range(page);
    expect(panned.start).toBeGreaterThan(zoomed.start);
    const canvas = (await page.locator('#canvas').boundingBox())!;
    await page.mouse.move(canvas.x + 600, canvas.y + 10);
    await page.mouse.down();
    await page.mouse.move(canvas.x + 500, canvas.y + 10, { steps: 4 });
    await page.mouse.up();
    await frame(page);
    const dragged = await range(page);
    expect(dragged.start - panned.start).toBeCloseTo((panned.end - panned.start) * (100 / canvas.width), 0);
    await page.click('#zoom-out');
    await page.keyboard.press('0');
    await frame(page);
    expect(await range(page)).toEqual(full);
  });

  it('draws only what the visible window holds', async () => {
    await setRange(page, 2000, 4500);
    const inWindow = await counts(page);
    expect(inWindow.arrows).toBe(6);
    expect((await drawnArrows(page)).map((a) => a.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(inWindow.faultBands).toBe(0);
    await setRange(page, 6000, 9000);
    expect((await counts(page)).faultBands).toBe(2);
    await page.keyboard.press('0');
  });

  it('hides a message type (request and response) from its legend checkbox', async () => {
    await frame(page);
    const fetchGroup = page.locator('label.legend-type', { hasText: 'Fetch' }).locator('input');
    await fetchGroup.uncheck();
    await frame(page);
    expect((await counts(page)).arrows).toBe(4);
    await fetchGroup.check();
    await frame(page);
    expect((await counts(page)).arrows).toBe(10);
  });

  it('takes a screenshot', async () => {
    const path = join(scratch, 'fixture.png');
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(10_000);
  });

  it('stays usable with 100k+ records: loads, samples arrows under the cap, zooms in to all', async () => {
    const records = longTrace();
    expect(records.length).toBeGreaterThan(100_000);
    const long = await openHtml(browser, renderHtml(records, { title: 'long' }), 'long');
    const fit = await counts(long);
    expect(fit.arrowsInView).toBeGreaterThan(MAX_ARROWS_PER_VIEW);
    expect(fit.arrows).toBe(MAX_ARROWS_PER_VIEW);
    expect(await text(long, '#status')).toContain('even sample');
    const started = performance.now();
    for (let i = 0; i < 5; i++) {
      await long.keyboard.press('ArrowRight');
      await frame(long);
    }
    expect(performance.now() - started).toBeLessThan(5_000);
    await setRange(long, 100_000_000, 102_000_000);
    const zoomed = await counts(long);
    expect(zoomed.arrows).toBe(zoomed.arrowsInView);
    expect(zoomed.arrows).toBeGreaterThan(0);
    await long.close();
  });

  it('renders the example trace (KSIM_WRITE_EXAMPLE=1 writes docs/trace-example.png)', async () => {
    const example = await openHtml(browser, renderHtml(exampleTrace(), { title: 'ksim example: b3 pauses, then {b1,p1} split off' }), 'example');
    const truncate = (await drawnMarkers(example)).find((m) => m.kind === 'truncate')!;
    await example.mouse.click(truncate.x, truncate.y);
    await example.mouse.move(2, 2);
    await frame(example);
    expect(await text(example, '#details')).toContain('log truncated');
    // Fit the viewport to the page, so the picture holds the view and its legend and nothing else.
    const height = await example.evaluate(() => (globalThis as unknown as { document: { body: { scrollHeight: number } } }).document.body.scrollHeight);
    await example.setViewportSize({ width: 1400, height });
    await frame(example);
    const target = process.env['KSIM_WRITE_EXAMPLE'] === '1' ? join(import.meta.dirname, '../../docs/trace-example.png') : join(scratch, 'trace-example.png');
    await example.screenshot({ path: target, fullPage: true });
    expect(statSync(target).size).toBeLessThan(300_000);
    await example.close();
  });
});
