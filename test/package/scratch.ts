// A scratch project outside the repository with the packed ksim installed, as a user would have it.
//
// Installing: `npm install --offline <tarball>` first, which resolves ksim's dependencies from the
// npm cache alone. That needs the registry metadata of each dependency in the cache, which
// `npm ci` (locked versions, tarballs only) does not always leave there; when the offline install
// cannot resolve them, the tarball is unpacked into node_modules/ksim as npm would (package/ is its
// root) and each of its dependencies, as its own package.json lists them, is linked from this
// repository's node_modules, where `npm ci` installed the same locked versions. Either way the
// files under test are exactly the tarball's. The test tools a user would add as devDependencies
// (vitest, @fast-check/vitest, @types/node) are linked from this repository's node_modules, so the
// examples run on the same vitest copy that runs them.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../cli/helpers.js';

export interface Packed {
  readonly tarball: string;
  /** Paths inside the package, as `npm pack --json` lists them. */
  readonly files: readonly string[];
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a user's shell: no npm lifecycle variables, no outer vitest's. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|vitest)/i.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0' };
}

export function run(command: string, args: readonly string[], cwd: string, timeoutMs = 60_000): Run {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, { cwd, encoding: 'utf8', env: userEnv(), timeout: timeoutMs, maxBuffer: 1 << 26 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `npm pack` of this repository into `dest`, without its prepare script: the build must exist. */
export function pack(dest: string): Packed {
  const result = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], ROOT);
  if (result.code !== 0) throw new Error(`npm pack failed (${result.code}):\n${result.stderr}`);
  const [info] = JSON.parse(result.stdout) as { filename: string; files: { path: string }[] }[];
  if (info === undefined) throw new Error(`npm pack printed no package:\n${result.stdout}`);
  return { tarball: join(dest, info.filename), files: info.files.map((f) => f.path) };
}

function link(project: string, name: string): void {
  const target = join(ROOT, 'node_modules', name);
  const path = join(project, 'node_modules', name);
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, 'dir');
}

/** Unpacks the tarball as node_modules/ksim, links its dependencies and its bin. */
function unpackAndLink(project: string, tarball: string): void {
  rmSync(join(project, 'node_modules'), { recursive: true, force: true });
  rmSync(join(project, 'package-lock.json'), { force: true });
  const dir = join(project, 'node_modules', 'ksim');
  mkdirSync(dir, { recursive: true });
  const untar = run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], project);
  if (untar.code !== 0) throw new Error(`tar failed:\n${untar.stderr}`);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; bin?: Record<string, string> };
  for (const name of Object.keys(manifest.dependencies ?? {})) link(project, name);
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  for (const [name, file] of Object.entries(manifest.bin ?? {})) {
    chmodSync(join(dir, file), 0o755);
    symlinkSync(join('..', 'ksim', file), join(project, 'node_modules', '.bin', name));
  }
}

/** How ksim got into the scratch project. */
export type Install = 'npm install --offline' | 'unpacked, dependencies linked';

/** Creates the project in `project` and installs the tarball there; returns how. */
export function installScratch(project: string, tarball: string): Install {
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'ksim-scratch', private: true, type: 'module' }, null, 2)}\n`);
  const npm = run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], project, 120_000);
  const install: Install = npm.code === 0 ? 'npm install --offline' : 'unpacked, dependencies linked';
  if (npm.code !== 0) {
    // Only a cache miss may fall back; anything else is a problem with the package itself.
    if (!/ENOTCACHED|only-if-cached/.test(npm.stderr)) throw new Error(`npm install of the tarball failed (${npm.code}):\n${npm.stderr}`);
    unpackAndLink(project, tarball);
  }
  for (const tool of ['vitest', '@fast-check/vitest', '@types/node']) link(project, tool);
  return install;
}
