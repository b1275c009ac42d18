// The HTML view tells the story of a lost write (Chromium via playwright-core): on the Jepsen 2013
// example the acks of the lost offsets are a labelled red bar, the election, the new leader and
// the truncation are ringed and linked, and the side panel tells it in a sentence that zooms to
// it; markers of one lane at one instant are drawn side by side with every label listed.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenario/load.js';
import { runScenario } from '../../scenario/run.js';
import type { TraceRecord } from '../../sim/trace-record.js';
import { renderHtml } from '../../traces/index.js';
import { CHROMIUM_PATH, chromiumInstalled, drawnMarkers, frame, launchChromium, openHtml, range } from './browser.js';
import { ROOT } from '../cli/helpers.js';

const installed = chromiumInstalled();

if (!installed && process.env['CI'] !== undefined) {
  it('needs Chromium', () => {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\``);
  });
}

interface StoryDrawn { index: number; text: string; labelled: boolean; rings: number; x0: number; x1: number; y: number }
interface ClusterLabel { lane: string; t: number; lines: string[]; x: number; y: number; w: number; h: number }
type View = { ksimView: { story(): StoryDrawn[]; clusterLabels(): ClusterLabel[] } };

const story = (page: Page) => page.evaluate(() => (globalThis as unknown as View).ksimView.story());
const clusterLabels = (page: Page) => page.evaluate(() => (globalThis as unknown as View).ksimView.clusterLabels());

/** Five controller records at one instant, as at a failover: a fence and four elections. */
function failoverTrace(): TraceRecord[] {
  const t = 5_000_000;
  return [
    { t: 0, kind: 'node', node: 'b1', state: 'up', incarnation: 1 },
    { t: 0, kind: 'node', node: 'b2', state: 'up', incarnation: 1 },
    { t: 0, kind: 'node', node: 'c1', state: 'up', incarnation: 1 },
    { t, kind: 'fenced', node: 'c1', broker: 'b1', reason: 'session-timeout' },
    ...[0, 1, 2, 3].map((partition) => ({ t, kind: 'election', node: 'c1', partition, leader: 'b2', epoch: 2, how: 'unclean', isr: ['b2'] })),
    { t: 10_000_000, kind: 'node', node: 'b1', state: 'crashed', incarnation: 1 },
  ];
}

describe.skipIf(!installed)('the story of a lost write in the HTML view', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    const output = runScenario(loadScenario(join(ROOT, 'examples', 'jepsen-2013.json')), 1, { recordTrace: true });
    page = await openHtml(browser, renderHtml(output.trace ?? [], { title: 'jepsen-2013' }), 'story', { width: 1400, height: 760 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws the lost acks as a labelled bar linked to the election, the new leader and the truncation', async () => {
    const drawn = await story(page);
    expect(drawn).toHaveLength(1);
    expect(drawn[0]).toMatchObject({ labelled: true, rings: 3 });
    expect(drawn[0]!.text).toBe('lost: p0 @40–138 (99 acked) · unclean election');
    expect(drawn[0]!.x1).toBeGreaterThan(drawn[0]!.x0);
  });

  it('labels the unclean election beside the fence at the same instant', async () => {
    const boxes = await clusterLabels(page);
    const controller = boxes.find((b) => b.lane === 'c1' && b.lines.includes('p0 b2 e2 unclean'));
    expect(controller?.lines).toEqual(['fenced b1', 'p0 b2 e2 unclean']);
  });

  it('tells the story in the side panel, and a click zooms to it', async () => {
    const item = page.locator('#details [data-story="0"]');
    expect(await item.textContent()).toMatch(/^p0: 99 acknowledged offsets 40–138 .*not in the log of b2.*unclean election by c1.*b1 truncated 139→39/);
    await item.click();
    await frame(page);
    const view = await range(page);
    expect(view.end - view.start).toBeLessThan(10_000_000);
    expect(view.start).toBeLessThan(9_250_000);
    expect(view.end).toBeGreaterThan(12_006_000);
  });

  it('spreads five markers of one instant side by side and lists every label', async () => {
    const other = await openHtml(browser, renderHtml(failoverTrace(), { title: 'failover' }), 'failover', { width: 1200, height: 500 });
    const markers = (await drawnMarkers(other)).filter((m) => m.lane === 'c1' && m.kind !== 'node');
    expect(markers).toHaveLength(5);
    const xs = markers.map((m) => m.x).sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(8);
    const boxes = await clusterLabels(other);
    expect(boxes.map((b) => b.lines)).toEqual([['fenced b1', 'p0 b2 e2 unclean', 'p1 b2 e2 unclean', 'p2 b2 e2 unclean', 'p3 b2 e2 unclean']]);
    await other.close();
  });
});
