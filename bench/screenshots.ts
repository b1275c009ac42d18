// The README's pictures, regenerated: `npm run build && node dist/bench/screenshots.js`. It runs
// the built `ksim` as a user would, opens the pages in headless Chromium (Debian's
// /usr/bin/chromium, through playwright-core) and writes
// - docs/check-report.png: `ksim check jepsen-unclean-election --seeds 12 --report …`, the top of
//   the page (the seeds, then the charts of seed 12's shrunk failure, as its replay runs it);
// - docs/trace-jepsen-2013.png: `ksim trace … --format html` of examples/jepsen-2013.json seed 1,
//   the lost write's story drawn over the space-time diagram.
// Not part of npm test (it takes about a minute); not shipped (dist/bench is left out of the package).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = '/usr/bin/chromium';

function ksim(args: readonly string[], cwd: string): void {
  try {
    execFileSync(process.execPath, [join(ROOT, 'bin', 'ksim.js'), ...args], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    // Exit code 1 is "anomalies found": what these pictures are of.
    if ((error as { status?: number }).status !== 1) throw error;
  }
}

async function shoot(browser: Browser, page: string, out: string, size: { width: number; height: number }, ready: string): Promise<void> {
  const tab = await browser.newPage({ viewport: size });
  await tab.goto(pathToFileURL(page).href);
  await tab.waitForFunction((key) => (globalThis as unknown as Record<string, unknown>)[key] !== undefined, ready);
  await tab.evaluate(() => new Promise((resolve) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => resolve(null))));
  await tab.screenshot({ path: out, clip: { x: 0, y: 0, ...size } });
  await tab.close();
  process.stderr.write(`wrote ${out}\n`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ksim-screenshots-'));
  // Paths relative to the work folder, so the page shows them as a user's would be.
  ksim(['check', 'jepsen-unclean-election', '--seeds', '12', '--out-dir', 'failures', '--report', 'check.html'], work);
  ksim(['run', join(ROOT, 'examples', 'jepsen-2013.json'), '--seed', '1', '--trace', join(work, 'jepsen-2013.jsonl')], work);
  ksim(['trace', join(work, 'jepsen-2013.jsonl'), '--format', 'html', '-o', join(work, 'trace.html')], work);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await shoot(browser, join(work, 'check.html'), join(ROOT, 'docs', 'check-report.png'), { width: 1400, height: 1240 }, 'ksimReport');
    await shoot(browser, join(work, 'trace.html'), join(ROOT, 'docs', 'trace-jepsen-2013.png'), { width: 1400, height: 640 }, 'ksimView');
  } finally {
    await browser.close();
  }
}

await main();
