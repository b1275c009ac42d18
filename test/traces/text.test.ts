import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../sim/trace-record.js';
import { renderText } from '../../traces/index.js';
import { FIXTURE } from './fixture.js';

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** A line's columns: time, node, kind, detail. */
function columns(line: string): string[] {
  const match = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
  if (match === null) throw new Error(`not a text-view line: ${line}`);
  return match.slice(1);
}

describe('renderText', () => {
  const text = renderText(FIXTURE);

  it('shows the state changes of the run in order, one line each', () => {
    expect(lines(text).slice(14, 27)).toEqual([
      ' 5.000  *   fault      partition: isolate b1',
      ' 5.100  b1  drop       Fetch #7 from b2 dropped: cut',
      ' 5.200  p1  send       p1:2 → partition 0',
      ' 5.300  b1  drop       Produce #8 from p1 dropped: cut',
      ' 5.800  b1  isr        partition 0 isr [b1] (−b2 −b3), partition epoch 2',
      ' 6.000  c1  fenced     broker b1 fenced',
      ' 6.000  c1  election   partition 0: b2 elected leader, epoch 2 (clean)',
      ' 6.500  b2  leader     became leader of partition 0, epoch 2, isr [b2,b3]',
      ' 7.000  b3  fault      crash b3',
      ' 7.000  b3  node       crashed, incarnation 1',
      ' 7.200  p1  send-info  p1:2 outcome unknown on partition 0: REQUEST_TIMED_OUT',
      ' 8.000  *   fault      heal all links',
      ' 8.500  b3  fault      restart b3',
    ]);
  });

  it('covers leadership, ISR, HW, truncation, elections, fencing, producer outcomes and commits', () => {
    const body = lines(text).map((line) => columns(line).slice(1).join(' '));
    expect(body).toContain('b1 leader became leader of partition 0, epoch 1, isr [b1,b2,b3]');
    expect(body).toContain('b2 follower follows b1 on partition 0, epoch 1');
    expect(body).toContain('b2 isr partition 0 isr [b2,b3,b1] (+b1), partition epoch 4');
    expect(body).toContain('b1 hw partition 0 high watermark 1');
    expect(body).toContain('b1 truncate partition 0 log truncated from 2 to 1 (1 record)');
    expect(body).toContain('c1 election partition 0: b1 elected leader, epoch 1 (clean)');
    expect(body).toContain('p1 send-ok p1:1 acked: partition 0 offset 0');
    expect(body).toContain('p1 send-fail p1:3 failed on partition 0: NOT_LEADER_OR_FOLLOWER');
    expect(body).toContain('k1 commit partition 0 offset 2 ok');
    expect(body).toContain('b3 node up (restarted), incarnation 2');
    expect(body).toContain('b3 mystery colour=teal level=3');
  });

  it('skips the machinery by default: timers, message traffic, disk writes, polls', () => {
    const kinds = lines(text).map((line) => columns(line)[2]);
    for (const noise of ['timer', 'deliver', 'disk-write', 'poll']) expect(kinds).not.toContain(noise);
    expect(text).not.toContain('Produce #1');
    expect(text).not.toContain('FetchResponse');
  });

  it('shows every record with verbose', () => {
    const verbose = lines(renderText(FIXTURE, { verbose: true }));
    expect(verbose).toHaveLength(FIXTURE.length);
    expect(verbose).toContain(' 2.000  p1  send        Produce #1 → b1 (200 B)');
    expect(verbose).toContain(' 9.500  b1  timer       timer #3 fired');
    expect(verbose).toContain(' 2.550  b1  disk-write  p0.log: 1 entry written (200 B)');
  });

  it('aligns its columns', () => {
    const all = lines(text);
    const nodeStart = new Set(all.map((line) => line.indexOf(columns(line)[1]!, columns(line)[0]!.length + line.indexOf(columns(line)[0]!))));
    const detailStart = new Set(all.map((line) => line.length - columns(line)[3]!.length));
    expect(nodeStart.size).toBe(1);
    expect(detailStart.size).toBe(1);
  });

  it('prints times as milliseconds with three decimals, exactly', () => {
    const records: TraceRecord[] = [{ t: 1, kind: 'settle' }, { t: 1_234_567, kind: 'settle' }, { t: 60_000_000, kind: 'settle' }];
    expect(lines(renderText(records)).map((line) => columns(line)[0])).toEqual(['0.001', '1234.567', '60000.000']);
  });

  it('sorts records by time, keeping the order of equal times', () => {
    const shuffled = [FIXTURE[20]!, FIXTURE[3]!, FIXTURE[0]!, FIXTURE[40]!];
    const out = lines(renderText(shuffled, { verbose: true }));
    const times = out.map((line) => Number(columns(line)[0]));
    expect(times).toEqual([0, 0, 3.4, 7]);
    expect(columns(out[0]!)[1]).toBe('c1');
    expect(columns(out[1]!)[1]).toBe('b1');
  });

  it('reads the field spellings the models use: batches, commit outcomes and offset lists, assigned, isr-change', () => {
    const records: TraceRecord[] = [
      { t: 1000, kind: 'send-ok', node: 'p1', partition: 0, offset: 16, count: 5, first: 10_000_017 },
      { t: 2000, kind: 'send-info', node: 'p1', partition: 1, error: 'TIMEOUT', count: 1, first: 10_000_030 },
      { t: 3000, kind: 'commit', node: 'b2', group: 'g1', generation: 1, outcome: 'ok', offsets: [0, 281, 1, 12] },
      { t: 4000, kind: 'commit', node: 'b2', group: 'g1', generation: 2, outcome: 'ILLEGAL_GENERATION', offsets: [0, 300] },
      { t: 5000, kind: 'assigned', node: 'k1', group: 'g1', generation: 1, member: 'k1-a', partitions: [0, 1] },
      { t: 6000, kind: 'isr-change', node: 'c1', partition: 1, isr: ['b2', 'b3'], by: 'b2' },
    ];
    expect(lines(renderText(records)).map((line) => columns(line)[3])).toEqual([
      'p1:17 (+4 more) acked: partition 0 offset 16',
      'p1:30 outcome unknown on partition 1: TIMEOUT',
      'group g1: partition 0 offset 281, partition 1 offset 12 ok',
      'group g1: partition 0 offset 300 FAILED (ILLEGAL_GENERATION)',
      'group g1, partitions [0,1], generation 1 (member k1-a)',
      'partition 1 isr recorded as [b2,b3] (asked by b2)',
    ]);
  });

  it('renders an empty trace as an empty string', () => {
    expect(renderText([])).toBe('');
  });
});
