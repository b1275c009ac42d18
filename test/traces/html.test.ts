import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../sim/trace-record.js';
import { ARROW_FIELDS, type ViewData } from '../../traces/html-data.js';
import { renderHtml } from '../../traces/index.js';
import { FIXTURE, FIXTURE_COUNTS } from './fixture.js';

const html = renderHtml(FIXTURE, { title: 'fixture <run> & "seed" 7' });

function embedded(page: string): ViewData {
  const match = /<script type="application\/json" id="ksim-data">([^<]*)<\/script>/.exec(page);
  if (match === null) throw new Error('no embedded data');
  return JSON.parse(match[1]!) as ViewData;
}

describe('renderHtml', () => {
  it('is one self-contained page: nothing loaded from the network or from other files', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/\b(?:src|href)\s*=/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('escapes the title', () => {
    expect(html).toContain('<title>fixture &lt;run&gt; &amp; &quot;seed&quot; 7</title>');
    expect(html).not.toContain('<run>');
  });

  it('carries a lane per node, sorted, for the page and for tests', () => {
    const lanes = [...html.matchAll(/data-lane="([^"]+)"/g)].map((m) => m[1]);
    expect(lanes).toEqual(FIXTURE_COUNTS.lanes);
  });

  it('embeds the data: every message, fault period and state change', () => {
    const data = embedded(html);
    expect(data.lanes).toEqual(FIXTURE_COUNTS.lanes);
    expect(data.arrows).toHaveLength(FIXTURE_COUNTS.messages * ARROW_FIELDS);
    expect(data.faults.map((f) => [f.kind, f.start, f.end, f.lanes])).toEqual([['partition', 5000, 8000, [0]], ['crash', 7000, 8500, [2]]]);
    const kinds = data.markers.map((m) => m[5]);
    for (const kind of ['leader', 'follower', 'isr', 'hw', 'truncate', 'election', 'fenced', 'send-ok', 'send-info', 'send-fail', 'commit', 'mystery']) {
      expect(kinds).toContain(kind);
    }
    for (const kind of ['timer', 'disk-write', 'deliver', 'drop']) expect(kinds).not.toContain(kind);
    expect(data.globals.map((g) => [g[0], g[3]])).toEqual([[5000, 'partition: isolate b1'], [8000, 'heal all links']]);
  });

  it('gives a request and its response one colour', () => {
    const data = embedded(html);
    const color = (type: string): string | undefined => data.typeColors[data.types.indexOf(type)];
    expect(color('Fetch')).toBe(color('FetchResponse'));
    expect(color('Produce')).toBe(color('ProduceResponse'));
    expect(color('Fetch')).not.toBe(color('Produce'));
  });

  it('pairs kebab-case responses with their requests too', () => {
    const records: TraceRecord[] = ['fetch', 'fetch-resp', 'register', 'register-ok', 'metadata-update'].map((msg, id) => ({ t: id, kind: 'send', node: 'b1', to: 'c1', msg, id }));
    const data = embedded(renderHtml(records, { title: 't' }));
    expect(data.groups).toEqual(['fetch', 'metadata-update', 'register']);
    expect(data.typeGroups).toEqual(data.types.map((type) => data.groups.indexOf(type.replace(/-(resp|ok)$/, ''))));
  });

  it('draws model spellings as the markers they mean', () => {
    const records: TraceRecord[] = [
      { t: 1, kind: 'assigned', node: 'k1', group: 'g1', generation: 1, partitions: [0] },
      { t: 2, kind: 'isr-change', node: 'c1', partition: 0, isr: ['b1'], by: 'b1' },
      { t: 3, kind: 'commit', node: 'b2', outcome: 'ok', offsets: [0, 3] },
      { t: 4, kind: 'commit', node: 'b2', outcome: 'REBALANCE_IN_PROGRESS', offsets: [0, 3] },
    ];
    expect(embedded(renderHtml(records, { title: 't' })).markers.map((m) => m[2])).toEqual(['assign', 'isr', 'commit', 'commit-fail']);
  });

  it('keeps the embedded data inside its script element whatever the records hold', () => {
    const nasty: TraceRecord[] = [{ t: 0, kind: 'note', node: 'b1', text: '</script><script>alert(1)</script><!--' }];
    const page = renderHtml(nasty, { title: 't' });
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    expect(embedded(page).markers[0]?.[6]).toEqual({ text: '</script><script>alert(1)</script><!--' });
  });

  it('renders an empty trace as a page too', () => {
    expect(embedded(renderHtml([], { title: 'empty' })).lanes).toEqual([]);
  });

  it('includes the legend and the controls the page script wires up', () => {
    for (const id of ['zoom-in', 'zoom-out', 'zoom-fit', 'pan-left', 'pan-right', 'canvas', 'details', 'tooltip', 'legend', 'status']) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('At most 4,000 arrows');
  });
});
