// The report's data and page (cli/report/): the series add up to the run's own stats, the leader
// series ends where the controller ends, the page is self-contained and escapes what it shows,
// `--report` on run, check and explore writes it (and refuses a path it must not write), and the
// check report charts the shrunk failure (as the replay runs it) before the seed's unshrunk run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordedFailure } from '../../cli/check/failure.js';
import { checkReport } from '../../cli/check/report.js';
import { WHOLE } from '../../cli/check/seeds.js';
import { runCharts } from '../../cli/report/charts.js';
import { writeCheckReport } from '../../cli/report/write.js';
import { SettleTally } from '../../cli/settle-summary.js';
import { searchSeeds } from '../../properties/search.js';
import { shrinkFailure } from '../../properties/shrink.js';
import { renderReport } from '../../cli/report/page.js';
import { runSection } from '../../cli/report/run-section.js';
import { runSeries, windowSizeUs, MAX_WINDOWS } from '../../cli/report/series.js';
import { parseScenario, type Scenario } from '../../scenario/schema.js';
import { runScenario, type RunOutput } from '../../scenario/run.js';
import { faultPeriods } from '../../traces/faults.js';
import { endTime, inTimeOrder } from '../../traces/time-order.js';
import { ensureBuilt, ksim, oneLineError, SHORT_CALM, SHORT_LOSSY, tempDir, writeJson } from '../cli/helpers.js';

const sum = (values: readonly (number | null)[]): number => values.reduce<number>((a, v) => a + (v ?? 0), 0);

function lossyRun(seed: number): { scenario: Scenario; output: RunOutput } {
  const scenario = parseScenario(SHORT_LOSSY, 'short-lossy');
  return { scenario, output: runScenario(scenario, seed, { recordTrace: true }) };
}

function seriesOf(scenario: Scenario, output: RunOutput) {
  return runSeries({ history: output.history, trace: output.trace ?? [], partitions: scenario.topic.partitions, brokers: ['b1', 'b2', 'b3'], settleStartMs: output.result.settle.startedAtMs });
}

describe('report series', () => {
  it('cuts a run into at most MAX_WINDOWS windows of a fixed size', () => {
    expect(windowSizeUs(6_000_000)).toBe(100_000);
    expect(windowSizeUs(150_000_000)).toBe(1_000_000);
    expect(Math.ceil(3_600_000_000 / windowSizeUs(3_600_000_000))).toBeLessThanOrEqual(MAX_WINDOWS);
  });

  it('adds up to the run stats: acks and refusals per window, sends still open and unknown at the end', () => {
    const { scenario, output } = lossyRun(3);
    const series = seriesOf(scenario, output);
    const w = series.windows;
    const perWindow = w.windowUs / 1_000_000;
    const { stats } = output.result;
    expect(stats.acked).toBeGreaterThan(0);
    expect(Math.round(sum(w.acked) * perWindow)).toBe(stats.acked);
    expect(Math.round(sum(w.sent) * perWindow)).toBe(stats.sent);
    expect(Math.round(sum(w.refused) * perWindow)).toBe(stats.failed);
    expect(w.inFlight.at(-1)! + w.unknownTotal.at(-1)!).toBe(stats.indeterminate);
    for (let i = 0; i < w.t.length; i++) {
      if (w.p50[i] === null) expect(w.acked[i]).toBe(0);
      else expect(w.p99[i]!).toBeGreaterThanOrEqual(w.p50[i]!);
    }
  });

  it('ends each partition with the leader and ISR the controller holds at the end, and has a band per fault period', () => {
    const { scenario, output } = lossyRun(3);
    const series = seriesOf(scenario, output);
    const p = series.partitions;
    expect(p.t.length).toBeGreaterThan(2);
    for (const state of output.final.partitions) {
      const leader = p.leader[state.partition]!.at(-1) ?? null;
      expect(leader === null ? null : p.brokers[leader]).toBe(state.leader);
      expect(p.isr[state.partition]!.at(-1)).toBe(state.isr.length);
    }
    const ordered = inTimeOrder(output.trace ?? []);
    expect(series.bands.length).toBe(faultPeriods(ordered, endTime(ordered)).length);
    expect(series.bands.length).toBeGreaterThan(0);
  });

  it('gives the same page for the same seed, and another for another seed', () => {
    const page = (seed: number) => {
      const { scenario, output } = lossyRun(seed);
      const section = runSection(scenario, output, 'run', 'ksim run x');
      return renderReport({ title: 't', subtitle: '', sections: [section.html], charts: section.charts });
    };
    expect(page(5)).toBe(page(5));
    expect(page(6)).not.toBe(page(5));
  });
});

describe('report page', () => {
  it('inlines uPlot and loads nothing: no src, no stylesheet link, no http', () => {
    const { scenario, output } = lossyRun(3);
    const html = renderReport({ title: 't', subtitle: '', sections: [], charts: runCharts(seriesOf(scenario, output), '') });
    expect(html).toContain('var uPlot=');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link/);
    expect(html).not.toMatch(/https?:\/\/(?!github\.com\/leeoniya)/);
  });

  it('escapes text: a title with markup stays text, and embedded data cannot close its script', () => {
    const html = renderReport({ title: '</script><b>x</b>', subtitle: '<i>', sections: [], charts: [{
      id: 'c', title: '</script>', note: '', kind: 'time', x: [0], yLabel: '', series: [{ label: '</script>', values: [1], color: '#000' }],
    }] });
    expect(html).toContain('<title>&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;</title>');
    expect(html).not.toContain('<b>x</b>');
    expect(html.match(/<\/script>/g)?.length).toBe(3);
  });
});

describe('the check report of a failure whose file could not be written', () => {
  it('charts the shrunk script it carries, run with the seed, then the unshrunk run', () => {
    const scenario = parseScenario(SHORT_LOSSY, 'short-lossy');
    const found = searchSeeds(scenario, { from: 1, count: 10, stopAtFirst: true });
    const first = found.first!;
    const anomaly = first.output.result.unexpected[0]!;
    const shrunk = shrinkFailure(scenario, first.seed, first.output.plan, anomaly, { maxRuns: 30 });
    const failure: RecordedFailure = {
      seed: first.seed, anomaly, originalSteps: first.output.plan.length, shrunkSteps: shrunk.steps.length, shrinkRuns: shrunk.runs,
      file: null, replay: `ksim run lossy.json --seed ${first.seed}`, writeError: 'failures/x.json: cannot write (EACCES)', steps: shrunk.steps, problems: [],
    };
    const tally = new SettleTally();
    tally.add(first.output.result);
    const report = checkReport({ runs: found.runs, failingSeeds: found.failingSeeds, anomalyCounts: found.anomalyCounts, settle: tally.summary() },
      { from: 1, count: 10, shard: WHOLE }, failure);
    const path = join(tempDir('report-unwritten'), 'check.html');
    writeCheckReport({ path, inputs: [], replace: false }, scenario, report, 'lossy.json');
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('failure file not written: failures/x.json: cannot write (EACCES)');
    expect(html).toContain(`<h2>Seed ${first.seed}, shrunk: the failure as the replay runs it (${shrunk.steps.length} fault step`);
    expect(html).toContain('The failure file could not be written: this is the shrunk script');
    expect(html).toContain(`Fault script (${shrunk.steps.length} step`);
    expect(html.indexOf(`<h2>Seed ${first.seed}, unshrunk:`)).toBeGreaterThan(html.indexOf('shrunk: the failure as the replay runs it'));
    // The shrunk script run with the seed shows the anomaly it was shrunk for.
    const section = html.slice(html.indexOf('id="shrunk-run"'), html.indexOf('id="unshrunk-run"'));
    expect(section).toContain(`<span class="unexpected">${anomaly}</span>`);
  });
});

describe('the check report of a liveness failure', () => {
  it('charts the seed once, saying a liveness failure is not shrunk', () => {
    const scenario = parseScenario(SHORT_CALM, 'short-calm');
    const output = runScenario(scenario, 2);
    const failure: RecordedFailure = {
      seed: 2, anomaly: 'not-settled', originalSteps: output.plan.length, shrunkSteps: output.plan.length, shrinkRuns: 0,
      file: null, replay: 'ksim run calm.json --seed 2', problems: ['p0 still had sends in flight'],
    };
    const tally = new SettleTally();
    tally.add(output.result);
    const report = checkReport({ runs: 2, failingSeeds: [2], anomalyCounts: {}, settle: tally.summary() }, { from: 1, count: 2, shard: WHOLE }, failure);
    const path = join(tempDir('report-liveness'), 'check.html');
    writeCheckReport({ path, inputs: [], replace: false }, scenario, report, 'calm.json');
    const html = readFileSync(path, 'utf8');
    expect(html).toContain(`<h2>Seed 2, the first failing seed (its own fault plan, ${output.plan.length} fault step`);
    expect(html).toContain('(a liveness failure is not shrunk)');
    expect(html).not.toContain('shrunk: the failure as the replay runs it');
    expect(html.match(/data-chart="leader"/g)?.length).toBe(1);
  });
});

describe('--report on the command line', () => {
  let dir = '';
  beforeAll(() => {
    ensureBuilt();
    dir = tempDir('report');
    writeJson(dir, 'lossy.json', SHORT_LOSSY);
    writeJson(dir, 'calm.json', SHORT_CALM);
  });

  it('run --report writes the page with the run charts', () => {
    const result = ksim(['run', 'lossy.json', '--seed', '3', '--report', 'run.html'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('report written to run.html');
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    for (const id of ['throughput', 'latency', 'inflight', 'isr', 'leader']) expect(html).toContain(`data-chart="${id}"`);
  });

  it('refuses the scenario itself, and an existing file without --force, before running', () => {
    const self = ksim(['run', 'lossy.json', '--seed', '3', '--report', 'lossy.json'], dir);
    expect(self.code).toBe(2);
    expect(oneLineError(self)).toContain('--report lossy.json: is an input of this command');
    writeFileSync(join(dir, 'old.html'), 'keep me');
    const exists = ksim(['check', 'calm.json', '--seeds', '1', '--workers', '1', '--report', 'old.html'], dir);
    expect(exists.code).toBe(2);
    expect(oneLineError(exists)).toContain('--report old.html: exists');
    expect(readFileSync(join(dir, 'old.html'), 'utf8')).toBe('keep me');
    expect(ksim(['check', 'calm.json', '--seeds', '1', '--workers', '1', '--report', 'old.html', '--force'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'old.html'), 'utf8')).toContain('<h2>Seeds</h2>');
  });

  it('check --report charts the shrunk failure as the replay runs it, then the unshrunk run, each labelled', () => {
    const result = ksim(['check', 'lossy.json', '--seeds', '6', '--workers', '1', '--out-dir', 'failures', '--report', 'check.html', '--json'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { failingSeeds: number[]; firstFailure: { file: string; anomaly: string; shrunkSteps: number; originalSteps: number; shrinkRuns: number } };
    const failure = report.firstFailure;
    expect(failure.shrinkRuns).toBeGreaterThan(0);
    const seed = report.failingSeeds[0];
    const html = readFileSync(join(dir, 'check.html'), 'utf8');
    const shrunkAt = html.indexOf(`<h2>Seed ${seed}, shrunk: the failure as the replay runs it (${failure.shrunkSteps} fault step`);
    const unshrunkAt = html.indexOf(`<h2>Seed ${seed}, unshrunk: the run the search found (its own fault plan, ${failure.originalSteps} fault step`);
    expect(shrunkAt).toBeGreaterThan(html.indexOf('<h2>Seeds</h2>'));
    expect(unshrunkAt).toBeGreaterThan(shrunkAt);
    expect(html).toContain(`The failure file ${failure.file} replayed: the trace hash matches the failure file, ${failure.anomaly} reproduced.`);
    // Each run draws its own five charts, the shrunk one under its heading, the unshrunk one under its.
    for (const id of ['throughput', 'latency', 'inflight', 'isr', 'leader']) {
      expect(html.indexOf(`data-chart="shrunk-${id}"`)).toBeGreaterThan(shrunkAt);
      expect(html.indexOf(`data-chart="shrunk-${id}"`)).toBeLessThan(unshrunkAt);
      expect(html.indexOf(`data-chart="unshrunk-${id}"`)).toBeGreaterThan(unshrunkAt);
    }
    // The fault scripts listed are the shrunk one and the seed's own.
    expect(html).toContain(`Fault script (${failure.shrunkSteps} step`);
    expect(html).toContain(`Fault script (${failure.originalSteps} steps)`);
    expect(html).toContain(`Reproduce: <code>ksim replay ${failure.file}</code>`);
    expect(html).toContain(`Reproduce: <code>ksim run lossy.json --seed ${seed}</code>`);
  });

  it('check --report --no-shrink charts the failing seed once, labelled unshrunk', () => {
    const result = ksim(['check', 'lossy.json', '--seeds', '6', '--workers', '1', '--no-shrink', '--out-dir', 'failures-whole', '--report', 'check-whole.html', '--json'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { failingSeeds: number[] };
    const html = readFileSync(join(dir, 'check-whole.html'), 'utf8');
    expect(html).toMatch(new RegExp(`<h2>Seed ${report.failingSeeds[0]}, the first failing seed \\(its own fault plan, \\d+ fault steps?, unshrunk\\)</h2>`));
    expect(html).toContain('the fault script was kept unshrunk');
    expect(html).not.toContain('shrunk: the failure as the replay runs it');
    expect(html.match(/data-chart="leader"/g)?.length).toBe(1);
  });

  it('explore --report writes the table and a bar chart per measure', () => {
    const result = ksim(['explore', 'calm.json', '--vary', 'acks=1,all', '--seeds', '2', '--workers', '1', '--report', 'explore.html'], dir);
    expect(result.code).toBe(0);
    const html = readFileSync(join(dir, 'explore.html'), 'utf8');
    expect(html).toContain('<td class="text">acks=1</td>');
    expect(html).toContain('data-chart="bars-p99"');
    expect(existsSync(join(dir, '.explore.html.tmp'))).toBe(false);
  });
});
