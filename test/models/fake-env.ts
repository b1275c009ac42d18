// A fake Env for unit tests that drive one broker's replica code directly: disk writes complete at
// once, timers never fire, traces are dropped, and assertions throw.
import type { Disk, Env, Message, NodeId } from '../../sim/env.js';

export const instantDisk: Disk = {
  append: (_file, _entries, _bytes, done) => done?.(),
  truncate: (_file, _length, done) => done?.(),
  fsync: (_file, done) => done?.(),
  replace: (_file, _entries, _bytes, done) => done?.(),
  read: () => [],
  files: () => [],
};

export function fakeEnv(node: NodeId, now: () => number, send: (to: NodeId, msg: Message) => void = () => undefined): Env {
  return {
    node, disk: instantDisk,
    now,
    setTimer: () => 1,
    cancelTimer: () => undefined,
    send,
    trace: () => undefined,
    assert: (condition: boolean, message: string) => { if (!condition) throw new Error(message); },
  } as unknown as Env;
}
