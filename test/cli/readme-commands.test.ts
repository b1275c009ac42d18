// The README is true line by line (issue #20): every `ksim …` command it shows — in `sh` blocks, as
// `$ ksim …` in output blocks, in the CI examples' YAML (`node bin/ksim.js …`) and in inline code
// that names a whole command — runs against the built CLI in a scratch folder and must not exit 2
// (bad input or usage) or 3 (a ksim bug); 0 and 1 (anomalies found) are both answers.
//
// What is changed to keep the file within ~45 s on a shared 2-core machine (the command is
// otherwise run as written, through a `ksim` on PATH that is `node bin/ksim.js`):
// - `check`: 1 seed (`--seeds` capped, or added where the README leaves the default of 100), except
//   the commands in FINDS_FAILURE, whose point is the failure they find (the replay examples need
//   its failure file): those run only the seed the README's output shows them finding (`--from 12
//   --seeds 1` in place of `--seeds 100`, which runs seeds 1…12),
//   with `--no-shrink`, as shrinking takes five times the search (65 runs), and the replays that
//   follow replay the unshrunk script;
// - `explore`: 1 seed per combination (`--seeds` capped, or added where the README leaves the
//   default of 50), and its table must fit 120 columns;
// - `check` and `explore` get `--workers 1`, since two commands run at once on two cores;
// - the CI examples' `node bin/ksim.js` is that `ksim`, `${{ matrix.shard }}` is 1 and
//   `JOB_COMPLETION_INDEX` is 0.
// Commands that read a file another command writes (a failure file, a trace) run after it. Two run
// at a time, longest chain first: a job's priority is its own expected cost (explore > check >
// run and replay > trace > the rest) plus the longest chain of jobs waiting for it, so the
// failure file's search and its replays start at once and the long explores do not run last alone.
// Every process starts node and loads ksim (about 0.6 s of CPU), which is most of the rest.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BIN, ensureBuilt, ROOT, tempDir } from './helpers.js';

/** Commands whose found failure later commands read: only the seed the README shows them finding is run. */
const FINDS_FAILURE = ['ksim check jepsen-unclean-election --seeds 100'];

/**
 * The seed the README shows a command finding: the `FAILED: <scenario>: seed N fails` line under
 * `$ <command>` in an output block, so a README regenerated with another seed needs no edit here.
 */
export function foundSeeds(readme: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const command of FINDS_FAILURE) {
    const scenario = command.split(' ')[2] ?? '';
    const seed = new RegExp(`^\\$ ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\nFAILED: ${scenario}: seed (\\d+) fails`, 'm').exec(readme)?.[1];
    if (seed !== undefined) found.set(command, Number(seed));
  }
  return found;
}

const FOUND_SEED = foundSeeds(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const CHECK_SEEDS = 1;
const EXPLORE_SEEDS = 1;
const CONCURRENCY = 2;

interface Shown {
  /** Where the README shows it: `README.md:61`. */
  readonly where: string;
  /** As the README shows it, without a trailing comment. */
  readonly shown: string;
}

const COMMAND = /^(?:npx )?ksim \S|^node (?:bin\/ksim\.js|dist\/cli\/main\.js) /;

/** A shell comment after a command: two spaces or more, then `#`. */
const withoutComment = (line: string) => line.replace(/\s+#(\s.*)?$/, '').trim();

/** An inline span names a whole command when it has no placeholder and, but for `presets`, an argument. */
function isWholeCommand(span: string): boolean {
  if (/[<…]|\b(?:FILE|SEED|DIR|N)\b/.test(span)) return false;
  const [, sub, first] = span.replace(/^npx /, '').split(' ');
  return sub === 'presets' || (first !== undefined && !first.startsWith('-'));
}

export function shownCommands(markdown: string, file: string): Shown[] {
  const found: Shown[] = [];
  let fence: string | null = null;
  markdown.split('\n').forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    const opening = /^```(\w*)/.exec(line);
    if (opening) {
      fence = fence === null ? (opening[1] ?? '') : null;
      return;
    }
    if (fence === 'sh' && COMMAND.test(line)) found.push({ where, shown: withoutComment(line) });
    else if (fence === 'text' && /^\$ /.test(line) && COMMAND.test(line.slice(2))) found.push({ where, shown: line.slice(2).trim() });
    else if (fence === 'yaml') {
      const command = /(?:run: |\[")(node bin\/ksim\.js [^"]*)/.exec(line)?.[1];
      if (command !== undefined) found.push({ where, shown: command.trim() });
    } else if (fence === null) {
      for (const span of line.matchAll(/`((?:npx )?ksim [^`]+)`/g)) {
        if (isWholeCommand(span[1] ?? '')) found.push({ where, shown: span[1] ?? '' });
      }
    }
  });
  return found;
}

/** The command as run here: seeds capped and one worker, as the header says. */
export function asRun(shown: string): string {
  const command = withFewerSeeds(shown);
  if (!/^ksim (check|explore) /.test(command) || command.includes('--workers')) return command;
  const [args = '', redirect = ''] = command.split(/(?= > )/);
  return `${args} --workers 1${redirect}`;
}

function withFewerSeeds(shown: string): string {
  const command = shown.replace(/^npx ksim /, 'ksim ').replace(/^node (?:bin\/ksim\.js|dist\/cli\/main\.js) /, 'ksim ')
    .replaceAll('${{ matrix.shard }}', '1');
  const found = FOUND_SEED.get(command);
  if (found !== undefined) return `${command.replace(/--seeds \d+/, `--from ${found} --seeds 1`)} --no-shrink`;
  const sub = command.split(' ')[1];
  const seeds = sub === 'check' ? CHECK_SEEDS : sub === 'explore' ? EXPLORE_SEEDS : null;
  if (seeds === null) return command;
  if (/--seeds \d+/.test(command)) return command.replace(/--seeds (\d+)/, (all, n: string) => (Number(n) > seeds ? `--seeds ${seeds}` : all));
  const [args = '', redirect = ''] = command.split(/(?= > )/);
  return `${args} --seeds ${seeds}${redirect}`;
}

/** The files a command names for writing: `--trace F`, `-o F`, `> F`, `--report F`. */
export function namedOutputs(command: string): string[] {
  return [...command.matchAll(/(?:--trace|-o|>|--report) (\S+)/g)].map((m) => m[1] ?? '');
}

/** Files a command writes: `--trace F`, `-o F`, `> F`, and a check's failure files. */
function writes(command: string): RegExp[] {
  const named = [...command.matchAll(/(?:--trace|-o|>) (\S+)/g)].map((m) => new RegExp(`(^| )${(m[1] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`));
  const check = /^ksim check (\S+)/.exec(command)?.[1];
  return check === undefined ? named : [...named, new RegExp(`ksim-failure-${check}-\\d+\\.json`)];
}

export interface Job {
  readonly where: string;
  readonly command: string;
  readonly after: number[];
}

export function jobsOf(shown: readonly Shown[]): Job[] {
  const jobs: Job[] = [];
  for (const { where, shown: text } of shown) {
    const command = asRun(text);
    if (jobs.some((job) => job.command === command)) continue;
    // A command that reads what an earlier one writes waits for it (its own outputs aside).
    const reads = command.replace(/(?:--trace|-o|>) \S+/g, '');
    const after = jobs.flatMap((job, i) => (writes(job.command).some((file) => file.test(reads)) ? [i] : []));
    jobs.push({ where, command, after });
  }
  return jobs;
}

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

function runShell(command: string, cwd: string, path: string): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], {
      cwd, env: { ...process.env, PATH: path, NO_COLOR: '1', KSIM_DEBUG: '', JOB_COMPLETION_INDEX: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

/** A job's expected cost, in rough seconds of CPU on an idle machine (process start included). */
function cost(command: string): number {
  const sub = command.split(' ')[1];
  return sub === 'explore' ? 2.5 : sub === 'check' ? 1.8 : sub === 'run' || sub === 'replay' ? 1.3 : sub === 'trace' ? 1 : 0.6;
}

/** Job indexes, longest chain first: own cost plus the longest chain of the jobs waiting for it. */
export function byPriority(jobs: readonly Job[]): number[] {
  const chain: number[] = [];
  // A job waits only for earlier ones, so walking backwards sees every waiter first.
  for (let i = jobs.length - 1; i >= 0; i--) {
    const waiting = jobs.flatMap((job, j) => (job.after.includes(i) ? [chain[j] ?? 0] : []));
    chain[i] = cost(jobs[i]?.command ?? '') + Math.max(0, ...waiting);
  }
  return [...jobs.keys()].sort((a, b) => (chain[b] ?? 0) - (chain[a] ?? 0) || a - b);
}

/**
 * Runs every job, two at a time, each once the jobs it reads from have finished: whenever a slot is
 * free, the ready job of highest priority (byPriority) starts.
 */
function runAll(jobs: readonly Job[], cwd: string, path: string): Promise<Outcome[]> {
  const order = byPriority(jobs);
  const outcomes: Outcome[] = [];
  const started = new Set<number>();
  const finished = new Set<number>();
  let running = 0;
  return new Promise((resolve) => {
    const pump = (): void => {
      if (finished.size === jobs.length) {
        resolve(outcomes);
        return;
      }
      for (const i of order) {
        if (running >= CONCURRENCY) return;
        const job = jobs[i] as Job;
        if (started.has(i) || !job.after.every((j) => finished.has(j))) continue;
        started.add(i);
        running++;
        void runShell(job.command, cwd, path).then((outcome) => {
          outcomes[i] = outcome;
          finished.add(i);
          running--;
          pump();
        });
      }
    };
    pump();
  });
}

const markdownFiles = () => ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('the commands the README and docs show', () => {
  let dir = '';
  let path = '';
  beforeAll(() => {
    ensureBuilt();
    dir = tempDir('readme');
    // The README's paths are a checkout's: examples/ is there.
    symlinkSync(join(ROOT, 'examples'), join(dir, 'examples'));
    const bin = join(dir, '.bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'ksim'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, 'ksim'), 0o755);
    path = `${bin}:${process.env.PATH ?? ''}`;
  });

  const shown = markdownFiles().flatMap((file) => shownCommands(readFileSync(join(ROOT, file), 'utf8'), file));

  test('finds the commands of every kind of block', () => {
    const commands = shown.map((s) => s.shown);
    expect(commands).toContain('ksim run safe --seed 42');
    expect(commands).toContain('ksim check jepsen-unclean-election --seeds 100');
    expect(commands).toContain('ksim presets');
    expect(commands.some((c) => c.startsWith('node bin/ksim.js check safe --seeds 100000 --shard ${{ matrix.shard }}/8'))).toBe(true);
    expect(asRun('ksim explore retry-duplicates --vary \'producers[0].enable.idempotence=false,true\'')).toBe('ksim explore retry-duplicates --vary \'producers[0].enable.idempotence=false,true\' --seeds 1 --workers 1');
    expect(asRun('ksim check safe --seeds 1000 --all --json > result.json')).toBe('ksim check safe --seeds 1 --all --json --workers 1 > result.json');
    expect(asRun('ksim check default')).toBe('ksim check default --seeds 1 --workers 1');
    expect(asRun('ksim replay f.json --trace run.jsonl')).toBe('ksim replay f.json --trace run.jsonl');
    expect(asRun('ksim check jepsen-unclean-election --seeds 100')).toBe('ksim check jepsen-unclean-election --from 12 --seeds 1 --no-shrink --workers 1');
  });

  test('the seed a failure-finding command is narrowed to is the one the README shows it finding', () => {
    expect([...FOUND_SEED.keys()]).toEqual(FINDS_FAILURE);
    expect(foundSeeds('$ ksim check jepsen-unclean-election --seeds 100\nFAILED: jepsen-unclean-election: seed 7 fails with lost-write, after 7 runs\n'))
      .toEqual(new Map([['ksim check jepsen-unclean-election --seeds 100', 7]]));
    expect(foundSeeds('$ ksim check jepsen-unclean-election --seeds 100\nok: jepsen-unclean-election: 100 runs\n').size).toBe(0);
  });

  test('every file the commands write is ignored by git (failure files included), so a reader\'s tries stay out of commits', () => {
    const outputs = [...new Set(jobsOf(shown).flatMap((job) => namedOutputs(job.command)))];
    expect(outputs).toContain('run.html');
    const samples = [...outputs, 'ksim-failure-jepsen-unclean-election-12.json'];
    const check = spawnSync('git', ['check-ignore', '--no-index', '--verbose', '--non-matching', ...samples], { cwd: ROOT, encoding: 'utf8' });
    const notIgnored = check.stdout.split('\n').filter((line) => line.startsWith('::')).map((line) => line.slice(2).trim());
    expect(notIgnored).toEqual([]);
    expect(check.stdout.split('\n').filter(Boolean).length).toBe(samples.length);
  });

  test('jobs run longest chain first, and after the jobs whose files they read', () => {
    const jobs = jobsOf([
      { where: 'a', shown: 'ksim presets' },
      { where: 'b', shown: 'ksim check x --seeds 100 --json > r.json' },
      { where: 'c', shown: 'ksim explore x --vary acks=1,all' },
      { where: 'd', shown: 'ksim replay ksim-failure-x-3.json --trace t.jsonl' },
      { where: 'e', shown: 'ksim trace t.jsonl --format text' },
    ]);
    expect(jobs.map((job) => job.after)).toEqual([[], [], [], [1], [3]]);
    // check → replay → trace is the longest chain (1.8 + 1.3 + 1), so the check starts first; then the
    // explore (2.5), the replay (1.3 + 1), the trace, the presets last.
    expect(byPriority(jobs)).toEqual([1, 2, 3, 4, 0]);
  });

  test('each exits 0 or 1, and explore tables fit 120 columns', async () => {
    const jobs = jobsOf(shown);
    const outcomes = await runAll(jobs, dir, path);
    const report = jobs.map((job, i) => {
      const { code, seconds, stdout, stderr } = outcomes[i] as Outcome;
      const wide = job.command.startsWith('ksim explore') && !job.command.includes('--json')
        ? stdout.split('\n').filter((line) => line.length > 120) : [];
      const bad = code === null || code >= 2 || wide.length > 0;
      return { ...job, code, seconds, bad, detail: bad ? `${stderr.trim().split('\n').slice(-3).join(' | ')}${wide.length > 0 ? ` | ${wide.length} lines over 120 columns` : ''}` : '' };
    });
    if (process.env.KSIM_README_TIMES) for (const r of report) console.log(`${r.seconds.toFixed(1)} s  exit ${r.code}  ${r.command}`);
    const failed = report.filter((r) => r.bad).map((r) => `${r.where}: exit ${r.code}: ${r.command}: ${r.detail}`);
    expect(failed).toEqual([]);
    expect(jobs.length).toBeGreaterThan(10);
  }, 120_000);
});
