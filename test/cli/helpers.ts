// Drives the built `ksim` command as a user would: a child process `node bin/ksim.js …`. The
// build is refreshed first when dist/ is older than the sources (npm test builds anyway); a lock
// folder keeps parallel test files from running tsc at the same time.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'ksim.js');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const SOURCES = ['cli', 'scenario', 'sim', 'models', 'properties', 'traces', 'lib'];
const LOCK = join(ROOT, 'dist', '.cli-test-build.lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  if (!existsSync(MAIN)) return true;
  const built = statSync(MAIN).mtimeMs;
  return SOURCES.some((dir) => newestSource(join(ROOT, dir)) > built);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/ with tsc if a source is newer than dist/cli/main.js. */
export function ensureBuilt(): void {
  if (!isStale()) return;
  mkdirSync(dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      sleep(200);
      if (!existsSync(LOCK)) continue;
      if (!isStale()) return;
    }
  }
  try {
    // tsc emits even when another area's work in progress has type errors; the CLI is what we test.
    if (isStale()) {
      try {
        execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
      } catch {
        // Type errors elsewhere still leave a usable build.
      }
    }
  } finally {
    rmdirSync(LOCK);
  }
}

export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function ksim(args: readonly string[], cwd: string = ROOT): Result {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1', KSIM_DEBUG: '' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `ksim-cli-${label}-`));
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/** A short, lossy scenario: acks=1, unclean election, frequent crashes and power loss; runs take ~50 ms. */
export const SHORT_LOSSY = {
  name: 'short-lossy',
  durationMs: 6000,
  settleMs: 6000,
  brokers: 3,
  broker: { 'min.insync.replicas': 1, 'unclean.leader.election.enable': true, 'replica.lag.time.max.ms': 2000 },
  producers: [{ acks: '1', messagesPerSec: 50 }],
  consumers: [],
  faults: { mode: 'random', kinds: ['partition', 'crash', 'power-loss'], meanIntervalMs: 1000 },
};

/** A short scenario with no faults at all: nothing should go wrong. */
export const SHORT_CALM = {
  name: 'short-calm',
  durationMs: 3000,
  settleMs: 3000,
  consumers: [],
  faults: { mode: 'none' },
};

/** A failing command's stderr: exactly one line, no stack trace. */
export function oneLineError(result: Result): string {
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got ${lines.length}:\n${result.stderr}`);
  const [line = ''] = lines;
  if (/\bat .*:\d+:\d+/.test(result.stderr)) throw new Error(`stack trace on stderr:\n${result.stderr}`);
  return line;
}
