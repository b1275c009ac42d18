// The package as a user gets it: `npm pack`, the tarball installed into a scratch project outside
// the repository (scratch.ts says how), `import … from 'ksim'` and 'ksim/vitest' type-checked
// there with this repository's tsc, the README's vitest examples run there with this repository's
// vitest (the one for `safe` passes; the same with an anomaly preset fails with the replay command,
// which then replays), `npx ksim presets`, and `npx ksim run|check --report`, whose pages must inline
// uPlot from the installed dependency. It uses the build in dist/ (npm test builds first).
// About 25 s on an idle 2-core machine; the timeouts are generous for a machine running the whole
// suite at once.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, ROOT } from '../cli/helpers.js';
import { readmeExamples, readmeOutputs } from './readme-examples.js';
import { installScratch, pack, run, type Install, type Packed } from './scratch.js';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
/** The anomaly preset the README's `safe` example is run with to see it fail. */
const ANOMALY_PRESET = 'acks1-leader-crash';

// Compiled by the scratch project's tsc and run by its vitest: the API end to end, as installed.
const API_TEST = `import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import {
  checkLostWrite, checkRun, EACH, failureRecord, listPresets, loadScenario, makeCheckInput, parseScenario, parseVary,
  readFailureFile, readTrace, renderHtml, renderPerfetto, renderText, replayCommand, replayFailure, runScenario,
  searchSeeds, shrinkFailure, UserError, writeFailureFile, writeTrace,
  type AnomalyType, type FailureFile, type RunOutput, type Scenario, type SearchResult, type TraceRecord,
} from 'ksim';
import { propertyOverSeeds, SeedPropertyError, type SeedPropertyOptions, type SeedPropertySummary } from 'ksim/vitest';

test('the library from the installed package: search, shrink, failure file, replay, traces', () => {
  expect(listPresets().map((p) => p.name)).toContain('safe');
  expect(() => parseScenario({ brokers: 0 }, 'bad.json')).toThrow(UserError);
  expect(parseVary('acks=1,all').path).toEqual(['producers', EACH, 'acks']);
  const scenario: Scenario = loadScenario('${ANOMALY_PRESET}');
  const found: SearchResult = searchSeeds(scenario, { from: 1, count: 5, stopAtFirst: true });
  if (found.first === undefined) throw new Error('no failing seed in 1…5');
  const { seed, output } = found.first;
  const anomaly: AnomalyType = output.result.unexpected[0] ?? 'lost-write';
  const shrunk = shrinkFailure(scenario, seed, output.plan, anomaly, { maxRuns: 10 });
  const dir = mkdtempSync(join(tmpdir(), 'ksim-api-'));
  const record = failureRecord({ scenario, seed, anomaly, originalSteps: output.plan.length, steps: shrunk.steps, output: shrunk.output });
  const path = writeFailureFile(dir, record);
  const file: FailureFile = readFailureFile(path);
  expect(file.replay).toBe(replayCommand(path));
  expect(replayFailure(file).hashMatches).toBe(true);
  const run: RunOutput = runScenario(file.scenario, file.seed, { recordTrace: true });
  writeTrace(join(dir, 'run.jsonl'), run.trace ?? [], { traceHash: run.result.traceHash });
  const trace: TraceRecord[] = readTrace(join(dir, 'run.jsonl'));
  expect(trace.length).toBe(run.trace?.length);
  expect(renderText(trace)).toContain('crash');
  expect(renderHtml(trace, { title: 'api' })).toContain('<html');
  expect(JSON.parse(renderPerfetto(trace))).toBeTruthy();
  expect(checkLostWrite(makeCheckInput(run.history, run.final, { consumers: true }))?.type).toBe(file.anomaly);
  expect(checkRun(run.history, run.final, { consumers: true, allowed: [] }).ok).toBe(false);
  const options: SeedPropertyOptions = { seeds: 1, from: seed, shrink: false, outDir: dir };
  expect(() => propertyOverSeeds(scenario, options)).toThrow(SeedPropertyError);
  const summary: SeedPropertySummary = propertyOverSeeds(scenario, { ...options, allow: ['lost-write', 'inconsistent-offsets', 'nonmonotonic-send', 'duplicate'] });
  expect(summary.runs).toBe(1);
}, 60_000);
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'], types: ['node'],
    strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noEmit: true,
    // The declarations ksim ships are checked too, not only their use.
    skipLibCheck: false,
  },
  include: ['*.ts'],
};

interface VitestReport {
  readonly testResults: readonly {
    readonly name: string;
    readonly status: string;
    readonly assertionResults: readonly { readonly status: string; readonly failureMessages: readonly string[] }[];
  }[];
}

let scratch = '';
let packed: Packed;
let install: Install;
const startedMs = performance.now();

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'ksim-package-'));
  packed = pack(scratch);
  install = installScratch(scratch, packed.tarball);
}, 120_000);

afterAll(() => {
  // Figures for the report: how the package was installed and what the whole test cost.
  console.info(`package test: ${install} in ${scratch}, ${((performance.now() - startedMs) / 1000).toFixed(1)} s`);
  // KSIM_KEEP_SCRATCH=1 keeps the project for a look at what failed.
  if (scratch !== '' && process.env['KSIM_KEEP_SCRATCH'] !== '1') rmSync(scratch, { recursive: true, force: true });
});

describe('the packed ksim in a scratch project', () => {
  test('the tarball holds the build, its types, the bin and the presets, and no tests or benchmarks', () => {
    for (const file of ['package.json', 'README.md', 'bin/ksim.js', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/vitest.js',
      'dist/lib/vitest.d.ts', 'dist/cli/main.js', 'dist/cli/worker.js', 'scenario/presets/safe.json', 'examples/jepsen-2013.json']) {
      expect(packed.files).toContain(file);
    }
    expect(packed.files.filter((file) => /^test\/|\.test\.|^dist\/test\/|^dist\/bench\//.test(file))).toEqual([]);
    expect(packed.files.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
  });

  test('the README examples and an API test type-check against the installed declarations', () => {
    const examples = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(examples.map((e) => e.file)).toEqual(['safe.test.ts', 'safe-fast-check.test.ts']);
    const [oneLiner] = examples;
    expect(oneLiner?.code).toContain("propertyOverSeeds('safe'");
    for (const example of examples) writeFileSync(join(scratch, example.file), example.code);
    writeFileSync(join(scratch, 'anomaly.test.ts'), oneLiner?.code.replaceAll("'safe'", `'${ANOMALY_PRESET}'`) ?? '');
    writeFileSync(join(scratch, 'api.test.ts'), API_TEST);
    writeFileSync(join(scratch, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    const tsc = run(process.execPath, [TSC, '-p', 'tsconfig.json'], scratch, 120_000);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  }, 150_000);

  test('they run with vitest: safe passes, the anomaly preset fails with a replay command that replays', () => {
    const report = join(scratch, 'vitest-report.json');
    const vitest = run(process.execPath, [VITEST, 'run', '--root', scratch, '--reporter=json', `--outputFile=${report}`], scratch, 240_000);
    expect(existsSync(report), vitest.stderr).toBe(true);
    const results = (JSON.parse(readFileSync(report, 'utf8')) as VitestReport).testResults;
    const status = Object.fromEntries(results.map((r) => [r.name.slice(scratch.length + 1), r.status]));
    const messages = results.flatMap((r) => r.assertionResults.flatMap((a) => a.failureMessages));
    expect(status, messages.join('\n')).toEqual({ 'anomaly.test.ts': 'failed', 'api.test.ts': 'passed', 'safe-fast-check.test.ts': 'passed', 'safe.test.ts': 'passed' });
    expect(vitest.code).toBe(1);
    const failure = messages.join('\n');
    // The README shows this message as it is, without vitest's stack; the seed is the one it names.
    const shown = readmeOutputs(readFileSync(join(ROOT, 'README.md'), 'utf8')).get('anomaly.test.ts');
    const seed = /: seed (\d+) fails/.exec(shown ?? '')?.[1];
    expect(seed).toMatch(/^\d+$/);
    expect(failure).toContain(`SeedPropertyError: ${ANOMALY_PRESET}: seed ${seed} fails with lost-write`);
    expect(failure.slice(0, failure.indexOf('\n    at '))).toBe(shown);
    const replay = /^replay: (ksim replay (\S+))$/m.exec(failure);
    expect(replay?.[1]).toBe(`ksim replay ksim-failure-${ANOMALY_PRESET}-${seed}.json`);
    expect(failure).toMatch(new RegExp(`^unshrunk: ksim run ${ANOMALY_PRESET} --seed ${seed}$`, 'm'));
    // The printed command, run as printed from the project folder: the same run, the anomaly again.
    const replayed = run('npx', ['--no', 'ksim', 'replay', replay?.[2] ?? ''], scratch);
    expect(replayed.code, replayed.stderr).toBe(1);
    expect(replayed.stderr).toContain('trace hash matches the failure file: the same run, lost-write reproduced');
  }, 300_000);

  test('npx ksim presets lists the presets from the installed package', () => {
    const presets = run('npx', ['--no', 'ksim', 'presets'], scratch);
    expect(presets.code, presets.stderr).toBe(0);
    expect(presets.stdout).toMatch(/^safe\s+Recommended settings/m);
  });

  test('npx ksim run and check --report write self-contained pages, uPlot inlined from the installed dependency', () => {
    // The charting library is not in the tarball: it is a dependency the install brings beside ksim.
    const manifest = JSON.parse(readFileSync(join(scratch, 'node_modules', 'ksim', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(manifest.dependencies?.['uplot']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(packed.files).toContain('dist/cli/report/assets.js');
    const uplotVersion = (JSON.parse(readFileSync(join(scratch, 'node_modules', 'uplot', 'package.json'), 'utf8')) as { version: string }).version;
    const selfContained = (html: string): void => {
      expect(html).toContain('var uPlot=');
      expect(html).toContain(`Charts drawn with uPlot ${uplotVersion} (MIT), inlined`);
      expect(html).not.toMatch(/<script[^>]+src=/);
      expect(html).not.toMatch(/<link/);
      expect(html).not.toMatch(/https?:\/\/(?!github\.com\/leeoniya)/);
    };
    const runReport = run('npx', ['--no', 'ksim', 'run', 'safe', '--seed', '1', '--report', 'run-report.html'], scratch);
    expect(runReport.code, runReport.stderr).toBe(0);
    expect(runReport.stderr).toContain('ksim: report written to run-report.html');
    const runHtml = readFileSync(join(scratch, 'run-report.html'), 'utf8');
    selfContained(runHtml);
    for (const id of ['throughput', 'latency', 'inflight', 'isr', 'leader']) expect(runHtml).toContain(`data-chart="${id}"`);
    const checkReport = run('npx', ['--no', 'ksim', 'check', ANOMALY_PRESET, '--seeds', '3', '--workers', '1', '--out-dir', 'report-failures', '--report', 'check-report.html'], scratch, 120_000);
    expect(checkReport.code, checkReport.stderr).toBe(1);
    expect(checkReport.stderr).toContain('ksim: report written to check-report.html');
    const checkHtml = readFileSync(join(scratch, 'check-report.html'), 'utf8');
    selfContained(checkHtml);
    expect(checkHtml).toMatch(/<h2>Seed \d+, shrunk: the failure as the replay runs it/);
    expect(checkHtml).toContain('data-chart="shrunk-leader"');
    expect(checkHtml).toContain('data-chart="unshrunk-leader"');
  }, 180_000);

  test('only the exported entry points resolve', () => {
    const script = "import('ksim/dist/cli/main.js').then(() => console.log('resolved'), (e) => console.log(e.code))";
    const deep = run(process.execPath, ['--input-type=module', '-e', script], scratch);
    expect(deep.stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
