// docs/scenario.md documents every key of the scenario schema, with the schema's own defaults: the
// keys are read from the schema (as JSON Schema of its input), so a key added to scenario/schema.ts
// without a line in the docs, a default changed in one place only, or a documented key that no
// longer exists fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scenarioSchema } from '../../scenario/schema.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface JsonNode {
  readonly properties?: Record<string, JsonNode>;
  readonly items?: JsonNode;
  readonly anyOf?: JsonNode[];
  readonly oneOf?: JsonNode[];
  readonly allOf?: JsonNode[];
  readonly default?: unknown;
}

/** Every key path of the schema (`producers[].acks`), with its default when the schema states one. */
function schemaKeys(node: JsonNode, path: string, into: Map<string, unknown>): Map<string, unknown> {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const full = path === '' ? key : `${path}.${key}`;
    if (!into.has(full) || into.get(full) === undefined) into.set(full, child.default);
    schemaKeys(child, full, into);
  }
  if (node.items) schemaKeys(node.items, `${path}[]`, into);
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) schemaKeys(branch, path, into);
  return into;
}

/** The docs' table rows: `| \`key\` | default | meaning |`. */
function documentedRows(markdown: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const match of markdown.matchAll(/^\| `([^`]+)` \|([^|]*)\|/gm)) rows.set(match[1] ?? '', (match[2] ?? '').trim());
  return rows;
}

describe('docs/scenario.md', () => {
  const keys = schemaKeys(z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as JsonNode, '', new Map());
  const rows = documentedRows(readFileSync(join(ROOT, 'docs', 'scenario.md'), 'utf8'));
  const faultNames = new Set(['partition', 'heal', 'crash', 'power-loss', 'restart', 'pause, resume', 'slow-disk, slow-net', 'clock-skew', 'fault']);

  it('reads the schema whole', () => {
    expect(keys.size).toBeGreaterThan(70);
    expect(keys.get('broker.min.insync.replicas')).toBe(1);
    expect(keys.has('faults.steps[].offsetMs')).toBe(true);
  });

  it('has a row for every key of the schema', () => {
    expect([...keys.keys()].filter((key) => !rows.has(key))).toEqual([]);
  });

  it('shows the schema default of every key that has one', () => {
    const wrong = [...keys].filter(([key, value]) => value !== undefined && rows.get(key) !== `\`${JSON.stringify(value)}\``)
      .map(([key, value]) => `${key}: docs ${rows.get(key)}, schema ${JSON.stringify(value)}`);
    expect(wrong).toEqual([]);
  });

  it('documents no key the schema lacks', () => {
    expect([...rows.keys()].filter((key) => !keys.has(key) && !faultNames.has(key))).toEqual([]);
  });
});
