// Which nodes a trace mentions, in the order every view shows them: brokers b1…bN, the
// controller c1, producers p1…, consumers k1…, pipeline instances t1…, then anything else by name.
import type { NodeId } from '../sim/env.js';
import type { TraceRecord } from '../sim/trace-record.js';
import { groupsOf, str } from './fields.js';

const ROLES: readonly { readonly prefix: string; readonly role: string }[] = [
  { prefix: 'b', role: 'broker' },
  { prefix: 'c', role: 'controller' },
  { prefix: 'p', role: 'producer' },
  { prefix: 'k', role: 'consumer' },
  { prefix: 't', role: 'pipeline' },
];

/** broker | controller | producer | consumer | node, from the name's letter and number. */
export function nodeRole(node: NodeId): string {
  const match = /^([a-z])(\d+)$/.exec(node);
  return ROLES.find((role) => role.prefix === match?.[1])?.role ?? 'node';
}

function sortKey(node: NodeId): [number, number, string] {
  const match = /^([a-z])(\d+)$/.exec(node);
  const rank = ROLES.findIndex((role) => role.prefix === match?.[1]);
  if (match === null || rank < 0) return [ROLES.length, 0, node];
  return [rank, Number(match[2]), node];
}

export function compareNodes(a: NodeId, b: NodeId): number {
  const [ra, na, sa] = sortKey(a);
  const [rb, nb, sb] = sortKey(b);
  if (ra !== rb) return ra - rb;
  if (na !== nb) return na - nb;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Every node named by a record: its node, a message's peer, a fault's targets. */
export function nodesOf(record: TraceRecord): NodeId[] {
  const named: NodeId[] = [];
  for (const key of ['node', 'to', 'from']) {
    const value = str(record, key);
    if (value !== undefined) named.push(value);
  }
  if (record.kind === 'fault') {
    const isolate = record['isolate'];
    if (Array.isArray(isolate)) named.push(...isolate.map(String));
    for (const group of groupsOf(record['groups'])) named.push(...group);
    const healed = record['nodes'];
    if (Array.isArray(healed)) named.push(...healed.map(String));
  }
  return named;
}

/** The lanes of a trace, sorted b…, c…, p…, k…, others. */
export function laneOrder(records: readonly TraceRecord[]): NodeId[] {
  const seen = new Set<NodeId>();
  for (const record of records) for (const node of nodesOf(record)) seen.add(node);
  return [...seen].sort(compareNodes);
}
