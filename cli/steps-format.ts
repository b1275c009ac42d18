// A fault script as readable lines: `5000 ms  partition isolate b1`.
import type { FaultStep } from '../sim/fault.js';

function nodes(list: readonly string[]): string {
  return list.join(',');
}

function what(step: FaultStep): string {
  if ('isolate' in step) return `isolate ${nodes(step.isolate)}`;
  if ('groups' in step) return `groups ${step.groups.map((g) => `[${nodes(g)}]`).join(' ')}`;
  if ('from' in step) return `${step.from} -> ${step.to} (one way)`;
  if ('factor' in step) return `${step.node} ×${step.factor}`;
  if ('offsetMs' in step) return `${step.node} ${step.offsetMs >= 0 ? '+' : ''}${step.offsetMs} ms`;
  if ('node' in step) return step.node;
  return step.nodes === undefined ? 'all links' : nodes(step.nodes);
}

export function formatSteps(steps: readonly FaultStep[]): string[] {
  const width = Math.max(0, ...steps.map((s) => String(s.atMs).length));
  return steps.map((step) => `${String(step.atMs).padStart(width)} ms  ${step.fault} ${what(step)}`);
}
