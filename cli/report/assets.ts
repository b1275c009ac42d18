// uPlot (MIT, pinned in package.json), read from the installed package when a report is written and
// inlined into the page, so the page loads nothing from the network. It is a dependency of ksim, so
// an installed ksim finds it beside itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UserError } from '../../sim/errors.js';

export interface ChartAssets {
  readonly script: string;
  readonly style: string;
  readonly version: string;
}

let cached: ChartAssets | undefined;

/** Text safe inside a <script> or <style> element: nothing in it can close the element. */
export function inlineSafe(text: string, element: 'script' | 'style'): string {
  return text.replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1');
}

export function chartAssets(): ChartAssets {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  try {
    const script = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    const style = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
    const pkg = JSON.parse(readFileSync(require.resolve('uplot/package.json'), 'utf8')) as { version?: string };
    cached = { script: inlineSafe(script, 'script'), style: inlineSafe(style, 'style'), version: pkg.version ?? '?' };
    return cached;
  } catch (error) {
    throw new UserError(`--report: cannot read the charting library uPlot from node_modules (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); reinstall ksim`);
  }
}
