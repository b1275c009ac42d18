// The report page in a real browser (Debian's Chromium via playwright-core): every chart becomes a
// uPlot instance that draws on its canvas, the fault bands are shaded, hovering names the faults in
// force, and the page raises no error and makes no request beyond its own file. Without
// /usr/bin/chromium the suite is skipped, except under CI, where it fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExploreRow } from '../../cli/explore/aggregate.js';
import { exploreSection, measuresOf } from '../../cli/report/explore-section.js';
import { renderReport } from '../../cli/report/page.js';
import { runSection } from '../../cli/report/run-section.js';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';
import { ensureBuilt, ksim, SHORT_LOSSY, tempDir, writeJson } from '../cli/helpers.js';
import { CHROMIUM_PATH, chromiumInstalled, launchChromium, openHtml } from './browser.js';

const installed = chromiumInstalled();

if (!installed && process.env['CI'] !== undefined) {
  it('needs Chromium', () => {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\``);
  });
}

interface ChartInfo { id: string; series: number; points: number }
type WithReport = { ksimReport: { charts(): ChartInfo[] } };
type Doc = { document: { querySelectorAll(s: string): ArrayLike<{ width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } }> } };

function charts(page: Page): Promise<ChartInfo[]> {
  return page.evaluate(() => (globalThis as unknown as WithReport).ksimReport.charts());
}

/** Per chart canvas: how many pixels are neither transparent nor white. */
function inkPerCanvas(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const canvases = (globalThis as unknown as Doc).document.querySelectorAll('.chart canvas');
    const out: number[] = [];
    for (let i = 0; i < canvases.length; i++) {
      const c = canvases[i]!;
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let p = 0; p < data.length; p += 4) if (data[p + 3]! > 0 && !(data[p]! > 245 && data[p + 1]! > 245 && data[p + 2]! > 245)) ink++;
      out.push(ink);
    }
    return out;
  });
}

function row(label: string, lost: number, p99: number): ExploreRow {
  return {
    label, settings: { acks: label }, runs: 4, failingRuns: lost > 0 ? 2 : 0, anomalyRuns: lost > 0 ? { 'lost-write': 2 } : {}, lostWrites: lost, duplicates: 0,
    sent: 400, acked: 390, failed: 10, unavailableMs: 500, durationMs: 24000, unavailableShare: 500 / 24000, refusedShare: 10 / 400,
    ackLatencyMs: { p50: 3, p99 }, fsyncsPerAck: null, settle: { livenessRuns: {}, quiescentRuns: 4, meanSettleMs: 900, maxSettleMs: 1200 },
  };
}

describe.skipIf(!installed)('the report page in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws the five charts of a run on their canvases, bands included, with no error and no request', async () => {
    const scenario = parseScenario(SHORT_LOSSY, 'short-lossy');
    const output = runScenario(scenario, 3, { recordTrace: true });
    const section = runSection(scenario, output, 'Seed 3', 'ksim run short-lossy --seed 3');
    const page = await openHtml(browser, renderReport({ title: 'run', subtitle: '', sections: [section.html], charts: section.charts }), 'report-run', { width: 1300, height: 1400 }, 'ksimReport');
    const drawn = await charts(page);
    expect(drawn.map((c) => c.id)).toEqual(['throughput', 'latency', 'inflight', 'isr', 'leader']);
    const partitions = scenario.topic.partitions;
    expect(drawn.map((c) => c.series)).toEqual([4, 2, 2, partitions, partitions]);
    const ink = await inkPerCanvas(page);
    expect(ink.length).toBe(5);
    for (const n of ink) expect(n).toBeGreaterThan(2000);
    // The fault bands are drawn: without them every chart has less ink.
    const bare = section.charts.map((c) => ({ ...c, bands: [] }));
    const plain = await openHtml(browser, renderReport({ title: 'run', subtitle: '', sections: [section.html], charts: bare }), 'report-run-bare', { width: 1300, height: 1400 }, 'ksimReport');
    const bareInk = await inkPerCanvas(plain);
    for (let i = 0; i < ink.length; i++) expect(ink[i]!).toBeGreaterThan(bareInk[i]! + 1000);
    await plain.close();
    // Hovering the middle of the throughput chart names the faults in force there (the lossy run has faults throughout).
    const box = (await page.locator('[data-chart="throughput"] .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    expect(await page.locator('.chart-box:first-child .faults-here').textContent()).toMatch(/^(faults in force here: |no fault in force here)/);
    await page.close();
  });

  it('draws both runs of a check report, the shrunk failure and the unshrunk run, each chart on its canvas', async () => {
    ensureBuilt();
    const dir = tempDir('report-browser-check');
    writeJson(dir, 'lossy.json', SHORT_LOSSY);
    const result = ksim(['check', 'lossy.json', '--seeds', '6', '--workers', '1', '--out-dir', 'failures', '--report', 'check.html'], dir);
    expect(result.code).toBe(1);
    const page = await openHtml(browser, readFileSync(join(dir, 'check.html'), 'utf8'), 'report-check', { width: 1300, height: 1400 }, 'ksimReport');
    const ids = ['throughput', 'latency', 'inflight', 'isr', 'leader'];
    expect((await charts(page)).map((c) => c.id)).toEqual([...ids.map((id) => `shrunk-${id}`), ...ids.map((id) => `unshrunk-${id}`)]);
    const ink = await inkPerCanvas(page);
    expect(ink.length).toBe(10);
    for (const n of ink) expect(n).toBeGreaterThan(2000);
    // Hovering a chart of the second run names the faults under the pointer in that chart's own box.
    const over = page.locator('[data-chart="unshrunk-throughput"] .u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    expect(await page.locator('.chart-box:has([data-chart="unshrunk-throughput"]) .faults-here').textContent()).toMatch(/^(faults in force here: |no fault in force here)/);
    await page.close();
  });

  it('draws a bar chart per measure of an explore table', async () => {
    const rows = [row('acks=1', 120, 40), row('acks=all', 0, 900)];
    const section = exploreSection(rows, 'acks=all loses nothing.');
    const page = await openHtml(browser, renderReport({ title: 'explore', subtitle: '', sections: [section.html], charts: section.charts }), 'report-explore', { width: 1300, height: 1400 }, 'ksimReport');
    const drawn = await charts(page);
    expect(drawn.map((c) => c.id)).toEqual(measuresOf(rows).map((m) => `bars-${m.id}`));
    expect(drawn.map((c) => c.id)).toContain('bars-lost');
    expect(drawn.map((c) => c.id)).not.toContain('bars-dup');
    for (const n of await inkPerCanvas(page)) expect(n).toBeGreaterThan(1000);
    await page.close();
  });
});
