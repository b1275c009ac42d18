// The planted protocol bug of the Raft checkers (raft.plantedBug commit-old-term, test-only): a
// leader that commits entries of an earlier term by counting replicas (Raft paper, Figure 8). The
// fault script (examples/raft-figure8.json, its times fitted to seed 1) builds the paper's case; with the
// bug the run loses committed records and the Raft checkers say so, the correct protocol loses
// nothing, and the seed search and the shrinker handle it as they do any failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { searchSeeds } from '../../properties/search.js';
import { shrinkFailure } from '../../properties/shrink.js';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';
import type { FaultStep } from '../../sim/fault.js';

const raw = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'raft-figure8.json'), 'utf8')) as Record<string, unknown> & { raft: object };
const buggy = parseScenario(raw, 'raft-figure8');
const correct = parseScenario({ ...raw, raft: { ...raw.raft, plantedBug: null } }, 'raft-figure8');

describe('Figure 8 (raft.plantedBug commit-old-term)', () => {
  test('with the bug, records committed by counting replicas are lost, and every Raft checker of commitment reports it', () => {
    const out = runScenario(buggy, 1);
    const types = out.result.anomalies.map((a) => a.type);
    expect(types).toEqual(expect.arrayContaining(['committed-record-lost', 'leader-completeness', 'lost-write', 'state-machine-safety']));
    expect(types).not.toContain('election-safety');
    expect(types).not.toContain('log-matching');
    const won = out.history.toArray().filter((op) => op.kind === 'leader-elected').map((op) => op.kind === 'leader-elected' ? `${op.process}:${op.term}` : '');
    expect(won.slice(0, 4)).toEqual(['b4:1', 'b2:3', 'b4:4', 'b5:5']);
  });

  test('without it, the same faults lose nothing', () => {
    expect(runScenario(correct, 1).result.anomalies).toEqual([]);
  });

  test('check finds it at seed 1 and the shrinker keeps every step it needs', () => {
    const found = searchSeeds(buggy, { from: 1, count: 1, stopAtFirst: true, target: 'state-machine-safety' });
    expect(found.failingSeeds).toEqual([1]);
    const plan = (raw['faults'] as { steps: FaultStep[] }).steps;
    const shrunk = shrinkFailure(buggy, 1, plan, 'state-machine-safety', { maxRuns: 40 });
    expect(shrunk.steps.length).toBeLessThanOrEqual(plan.length);
    expect(shrunk.output.result.anomalies.map((a) => a.type)).toContain('state-machine-safety');
  }, 60_000);
});
