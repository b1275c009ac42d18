// pipeline-duplicate and pipeline-lost: exactly-once from input to output in a consume-transform-
// produce pipeline (models/transactions/pipeline.ts). Each 'transform' op of the history names the
// records a pipeline instance read (inputs), the records it wrote for them (outputs, one per input,
// each a value of its own) and the group offsets its transaction commits. A transform counts as
// committed when any of its outputs is in the final committed logs (read as read_committed: no
// aborted or open transaction's records), since a transaction's outputs commit together.
//
// - pipeline-duplicate: an input record (a value, per group) with two or more distinct outputs in
//   the final committed logs: the group wrote it twice (a transaction committed although the offsets
//   it read from were already passed by another, or offsets were committed outside the
//   transaction). A single output value at two offsets is `duplicate`'s, not this.
// - pipeline-lost: per group and input partition, the highest offset the group committed (the
//   offsets of its committed transforms, and any OffsetCommit of the group, commit-ok); every record
//   of the final committed input log below it with no output in the final committed logs was
//   skipped: the group's commit passed a record whose output is not there.
//
// Jepsen's 2024 Kafka analysis has no name for these (its transactions write and read in one
// transaction, not across a pipeline); the names are ksim's, beside duplicate and lost-write.
import type { NodeId } from '../../sim/env.js';
import { valueLabel } from '../../models/history/history.js';
import type { HistoryOp, PolledRecord, Value } from '../../models/history/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { finalLogOf, recordsBetween } from '../final-log.js';
import { capped, finalLogFields, labelled } from '../_internals/values.js';

type TransformOp = Extract<HistoryOp, { kind: 'transform' }>;

interface Output {
  readonly transform: number;
  readonly input: PolledRecord;
}

interface PipelineIndex {
  readonly transforms: readonly TransformOp[];
  /** Per transform: is any of its outputs committed. */
  readonly committed: readonly boolean[];
  /** group → input value → its committed outputs (value, partition, offset, the instance that wrote it). */
  readonly outputsOf: ReadonlyMap<string, ReadonlyMap<Value, { value: Value; partition: number; offset: number; process: NodeId }[]>>;
}

function indexPipelines(input: CheckInput): PipelineIndex | null {
  const transforms: TransformOp[] = [];
  const history = input.history;
  for (const i of history.objectRows()) if (history.kind(i) === 'transform') transforms.push(history.at(i) as TransformOp);
  if (transforms.length === 0) return null;
  const outputs = new Map<Value, Output>();
  transforms.forEach((op, transform) => op.outputs.forEach((value, i) => outputs.set(value, { transform, input: op.inputs[i]! })));
  const committed = transforms.map(() => false);
  const outputsOf = new Map<string, Map<Value, { value: Value; partition: number; offset: number; process: NodeId }[]>>();
  // Each output value once (its first offset): a value at two offsets is `duplicate`'s.
  const counted = new Set<Value>();
  for (const log of input.finalLogs.values()) {
    for (const { offset, value } of log.records) {
      const out = outputs.get(value);
      if (out === undefined || counted.has(value)) continue;
      counted.add(value);
      committed[out.transform] = true;
      const op = transforms[out.transform]!;
      let group = outputsOf.get(op.group);
      if (group === undefined) outputsOf.set(op.group, group = new Map());
      let list = group.get(out.input.value);
      if (list === undefined) group.set(out.input.value, list = []);
      list.push({ value, partition: log.partition, offset, process: op.process });
    }
  }
  return { transforms, committed, outputsOf };
}

export function checkPipelineDuplicate(input: CheckInput): AnomalyReport | null {
  const index = indexPipelines(input);
  if (index === null) return null;
  const cases = new CaseCollector('pipeline-duplicate', input.options.maxExamples);
  const inputs = new Map<Value, PolledRecord>();
  for (const op of index.transforms) for (const r of op.inputs) inputs.set(r.value, r);
  for (const [group, byInput] of index.outputsOf) {
    for (const [value, outs] of byInput) {
      if (outs.length < 2) continue;
      const record = inputs.get(value)!;
      cases.add(() => ({
        summary: `${valueLabel(value)} (offset ${record.offset} of partition ${record.partition}) has ${outs.length} outputs in group ${group}'s committed output: ` +
          capped(outs).map((o) => `${valueLabel(o.value)} at offset ${o.offset} of partition ${o.partition} by ${o.process}`).join(', '),
        ...labelled(value), group, inputPartition: record.partition, inputOffset: record.offset, copies: outs.length,
        outputs: capped(outs).map((o) => ({ ...labelled(o.value), partition: o.partition, offset: o.offset, process: o.process })),
      }));
    }
  }
  return cases.report();
}

export function checkPipelineLost(input: CheckInput): AnomalyReport | null {
  const index = indexPipelines(input);
  if (index === null) return null;
  const cases = new CaseCollector('pipeline-lost', input.options.maxExamples);
  // group → input partition → the highest committed next offset, and who committed it.
  const committedOffsets = new Map<string, Map<number, { offset: number; process: NodeId; how: string }>>();
  const raise = (group: string, partition: number, offset: number, process: NodeId, how: string): void => {
    let byPartition = committedOffsets.get(group);
    if (byPartition === undefined) committedOffsets.set(group, byPartition = new Map());
    const known = byPartition.get(partition);
    if (known === undefined || offset > known.offset) byPartition.set(partition, { offset, process, how });
  };
  index.transforms.forEach((op, i) => {
    if (!index.committed[i]) return;
    for (const { partition, offset } of op.offsets) raise(op.group, partition, offset, op.process, 'in its committed transaction');
  });
  const history = input.history;
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'commit-ok') continue;
    const op = history.at(i) as Extract<HistoryOp, { kind: 'commit-ok' | 'commit-fail' }>;
    if (!index.outputsOf.has(op.group) && !index.transforms.some((t) => t.group === op.group)) continue;
    for (const { partition, offset } of op.offsets) raise(op.group, partition, offset, op.process, 'with OffsetCommit');
  }
  for (const [group, byPartition] of committedOffsets) {
    const outputs = index.outputsOf.get(group);
    for (const [partition, committed] of [...byPartition].sort((a, b) => a[0] - b[0])) {
      const log = finalLogOf(input.finalLogs, partition);
      for (const { offset, value } of recordsBetween(log, 0, committed.offset)) {
        if (outputs?.has(value) === true) continue;
        cases.add(() => ({
          summary: `${valueLabel(value)} at offset ${offset} of partition ${partition} has no output in the committed output, ` +
            `but group ${group} committed offset ${committed.offset} there (${committed.process}, ${committed.how})`,
          ...labelled(value), group, partition, offset, committedOffset: committed.offset, committedBy: committed.process, ...finalLogFields(log),
        }));
      }
    }
  }
  return cases.report();
}
