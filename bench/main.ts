// `npm run bench`: runs every registered section. `--json` prints one JSON object
// { node, sections: { <name>: metrics } }; `--only a,b` runs the named sections only.
// To add a section, register it in a file of your own and import that file below.
import { benchSections, type BenchMetrics } from './sections.js';
import './kernel.js';
import './model.js';
import './cli.js';
import './properties.js';
import './generated.js';
import './checkers.js';
import './producer.js';
import './soak.js';
import './memory.js';

interface Options {
  json: boolean;
  only: Set<string> | null;
}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { json: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') opts.json = true;
    else if (arg === '--only') opts.only = new Set((argv[++i] ?? '').split(',').filter(Boolean));
    else throw new Error(`unknown argument '${arg}' (use --json, --only a,b)`);
  }
  return opts;
}

function formatValue(v: number | string): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(3);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const results: Record<string, BenchMetrics> = {};
  for (const section of benchSections()) {
    if (opts.only === null ? section.optIn : !opts.only.has(section.name)) continue;
    if (!opts.json) process.stdout.write(`${section.name}: ${section.description}\n`);
    const metrics = await section.run();
    results[section.name] = metrics;
    if (!opts.json) {
      for (const [k, v] of Object.entries(metrics)) process.stdout.write(`  ${k.padEnd(30)} ${formatValue(v)}\n`);
    }
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ node: process.version, sections: results })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
