// Checking a fault step before it is applied, and its trace fields. Steps come from users' scripts
// (or from JSON without a schema in between), so every mistake is a UserError naming the problem.
import type { NodeId, TraceValue } from './env.js';
import { UserError } from './errors.js';
import type { FaultStep } from './fault.js';

const NODE_FAULTS = new Set(['crash', 'power-loss', 'restart', 'pause', 'resume', 'slow-disk', 'slow-net', 'clock-skew']);

/** Throws a UserError unless the step is well formed and names only known nodes. */
export function validateStep(step: FaultStep, known: (id: NodeId) => boolean): void {
  if (!(step.atMs >= 0) || !Number.isFinite(step.atMs)) bad(step, 'atMs must be a finite number >= 0');
  const fault: string = step.fault;
  if (fault !== 'partition' && fault !== 'heal' && !NODE_FAULTS.has(fault)) bad(step, `unknown fault '${fault}'`);
  if (step.fault === 'partition' && !('isolate' in step) && !('groups' in step) && !('from' in step && 'to' in step)) {
    bad(step, 'a partition needs isolate, groups, or from and to');
  }
  if ((step.fault === 'slow-disk' || step.fault === 'slow-net') && !(step.factor > 0 && Number.isFinite(step.factor))) {
    bad(step, 'factor must be a positive number');
  }
  if (step.fault === 'clock-skew' && !Number.isFinite(step.offsetMs)) bad(step, 'offsetMs must be a finite number');
  for (const id of stepNodes(step)) {
    if (typeof id !== 'string' || !known(id)) bad(step, `unknown node '${String(id)}'`);
  }
}

function bad(step: FaultStep, problem: string): never {
  throw new UserError(`fault step ${JSON.stringify(step)}: ${problem}`);
}

/** Every node name the step mentions. */
export function stepNodes(step: FaultStep): readonly NodeId[] {
  if ('node' in step) return [step.node];
  if ('isolate' in step) return step.isolate;
  if ('groups' in step) return step.groups.flat();
  if ('from' in step) return [step.from, step.to];
  if ('nodes' in step && step.nodes !== undefined) return step.nodes;
  return [];
}

/** The step's fields for its `fault` trace record; groups become "b1,b2" strings (records are flat). */
export function faultTraceFields(step: FaultStep): Record<string, TraceValue> {
  const fields: Record<string, TraceValue> = { fault: step.fault };
  if ('node' in step) fields['node'] = step.node;
  if ('isolate' in step) fields['isolate'] = step.isolate;
  if ('groups' in step) fields['groups'] = step.groups.map((g) => g.join(','));
  if ('from' in step) {
    fields['from'] = step.from;
    fields['to'] = step.to;
  }
  if ('nodes' in step && step.nodes !== undefined) fields['nodes'] = step.nodes;
  if ('factor' in step) fields['factor'] = step.factor;
  if ('offsetMs' in step) fields['offsetMs'] = step.offsetMs;
  return fields;
}
