// The HTML view's legend: message pairs (each with a show/hide checkbox), arrow styles, the fault
// bands and markers this trace holds, and what is capped. Icons are empty canvases the page's
// script draws with the diagram's own drawing code.
import type { ViewData } from './html-data.js';
import { escapeHtml } from './html-escape.js';

const MARKER_NAMES: readonly (readonly [string, string])[] = [
  ['leader', 'became leader'], ['follower', 'became follower'], ['election', 'election'], ['isr', 'ISR change'],
  ['hw', 'high watermark'], ['truncate', 'log truncated'], ['fenced', 'broker fenced'], ['unfenced', 'unfenced'],
  ['send', 'producer send'], ['send-ok', 'acked'], ['send-fail', 'failed'], ['send-info', 'outcome unknown'],
  ['assign', 'assignment'], ['poll', 'poll'], ['process', 'processed'], ['commit', 'offset commit'], ['commit-fail', 'commit failed'],
  ['node-start', 'started'], ['node-up', 'restarted / resumed'], ['node-down', 'crashed / powered off'], ['node-pause', 'paused'],
  ['lso', 'last stable offset'], ['txn-end', 'EndTxn sent'], ['txn-state', 'transaction state'], ['txn-markers', 'transaction markers'],
  ['txn-offset-commit', 'transactional offsets pending'], ['txn-offsets-complete', 'transactional offsets decided'],
  ['fault', 'fault step'], ['disk-loss', 'unsynced data lost'], ['settle', 'settle phase'], ['other', 'other event'],
];
const BAND_NAMES: readonly (readonly [string, string])[] = [
  ['partition', 'partitioned'], ['crash', 'crashed'], ['power-loss', 'powered off'], ['pause', 'paused'],
  ['slow-disk', 'slow disk'], ['slow-net', 'slow network'], ['clock-skew', 'clock skewed'],
];
const OUTCOME_NAMES: readonly (readonly [string, string])[] = [
  ['delivered', 'delivered'], ['dropped', 'dropped (✕ where lost)'], ['duplicate', 'duplicate copy'], ['in-flight', 'in flight at the end'],
];

function icon(kind: string, key: string | number): string {
  return `<canvas data-icon="${kind}" data-key="${escapeHtml(String(key))}" width="22" height="14"></canvas>`;
}

function item(content: string): string {
  return `<span class="item">${content}</span>`;
}

function section(heading: string, items: readonly string[], extra = ''): string {
  return `<section><h3>${heading}</h3><div class="items">${items.join('')}</div>${extra}</section>`;
}

function messageItems(data: ViewData): string[] {
  return data.groups.map((group, i) => {
    const hasResponse = data.types.some((type, t) => type !== group && data.typeGroups[t] === i);
    const name = `${escapeHtml(group)}${hasResponse ? '<small> + response</small>' : ''}`;
    return `<label class="item legend-type"><input type="checkbox" checked data-group-index="${i}">${icon('group', i)}${name}</label>`;
  });
}

export function legendHtml(data: ViewData, maxArrows: number, maxMarkers: number): string {
  const categories = new Set([...data.markers.map((m) => m[2]), ...data.globals.map((g) => g[1])]);
  const bandKinds = new Set(data.faults.map((f) => f.kind));
  const outcomes = OUTCOME_NAMES.map(([key, name]) => item(`${icon('outcome', key)}${name}`));
  const bands = BAND_NAMES.filter(([key]) => bandKinds.has(key)).map(([key, name]) => item(`${icon('band', key)}${name}`));
  const markers = MARKER_NAMES.filter(([key]) => categories.has(key)).map(([key, name]) => item(`${icon('marker', key)}${name}`));
  const cap = `<p class="note">At most ${maxArrows.toLocaleString('en-US')} arrows and ${maxMarkers.toLocaleString('en-US')} markers are drawn per view; beyond that an even sample is drawn (drops first) and the status line says so.</p>`;
  const story = data.story.length === 0 ? [] : [
    item(`${icon('story', 'bar')}acks of lost offsets`), item(`${icon('story', 'ring')}what lost them (election, new leader, truncation)`),
  ];
  return `<div id="legend">${section('Messages (click to hide)', messageItems(data))}${section('Arrows and fault bands', [...outcomes, ...bands], cap)}${markers.length > 0 || story.length > 0 ? section('Markers', [...markers, ...story]) : ''}</div>`;
}
