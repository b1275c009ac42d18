// The second planted Raft bug (raft.plantedBug vote-any-log, test-only): voters grant (pre-)votes
// without Raft's election restriction (§5.4.1). Random search finds it (`ksim check` of isr-vs-raft
// on Raft with crashes and partitions: seed 13 of 1-100) and shrinks it to the three steps below:
// b2 is cut off while the others go on committing, the leader crashes, and once b2 is back a voter
// elects it though its log lacks committed entries; its followers truncate them.
import { describe, expect, it } from 'vitest';
import { anomalyTypes, run } from './harness.js';

const scenario = (plantedBug: string | null): Record<string, unknown> => ({
  durationMs: 30000, brokers: 5, topic: { partitions: 1, replicationFactor: 3 },
  protocol: { replication: 'raft' }, raft: { plantedBug },
  producers: [{ acks: 'all', messagesPerSec: 100 }],
  consumers: [{ group: 'g1', count: 1, commit: 'after-process', 'auto.offset.reset': 'earliest' }],
  faults: {
    mode: 'script', steps: [
      { atMs: 6100, fault: 'partition', groups: [['b2'], ['b1', 'b3', 'b4', 'b5', 'c1', 'p1', 'k1']] },
      { atMs: 8720, fault: 'crash', node: 'b3' },
      { atMs: 29130, fault: 'heal', nodes: ['b2'] },
    ],
  },
});

describe('Raft without the election restriction (raft.plantedBug vote-any-log)', () => {
  it('elects a replica missing committed entries: leader completeness, state-machine safety and acknowledged writes fail', () => {
    const types = anomalyTypes(run(scenario('vote-any-log'), 13));
    expect(types).toEqual(expect.arrayContaining(['leader-completeness', 'state-machine-safety', 'lost-write']));
  });

  it('with the restriction the same schedule breaks no Raft invariant and loses nothing', () => {
    const types = anomalyTypes(run(scenario(null), 13));
    expect(types.filter((t) => t !== 'duplicate-delivery')).toEqual([]);
  });
});
