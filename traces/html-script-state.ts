// The page script, part 1: the embedded data unpacked into typed arrays, the styles of markers
// and fault bands, and the view (the visible time range) with its zoom and pan.
// Browser code inside a string: the determinism rules of traces/ do not apply to it.
export const SCRIPT_STATE = String.raw`
  var D = JSON.parse(document.getElementById('ksim-data').textContent);
  var LANE_H = D.laneHeight, AXIS_H = D.axisHeight, BOTTOM = 6;
  var MAX_ARROWS = D.maxArrows, MAX_MARKERS = D.maxMarkers, AF = D.arrowFields;
  var MIN_SPAN_US = 20;

  // ---- data, unpacked into typed arrays once ----
  var nA = D.arrows.length / AF;
  var aSent = new Float64Array(nA), aEnd = new Float64Array(nA), aFrom = new Int32Array(nA), aTo = new Int32Array(nA);
  var aType = new Int32Array(nA), aOut = new Int8Array(nA), aId = new Float64Array(nA), aBytes = new Float64Array(nA), aReason = new Int32Array(nA);
  var maxDur = 0;
  (function unpack() {
    var A = D.arrows;
    for (var i = 0; i < nA; i++) {
      var o = i * AF;
      aSent[i] = A[o]; aFrom[i] = A[o + 1]; aEnd[i] = A[o + 2]; aTo[i] = A[o + 3]; aType[i] = A[o + 4];
      aOut[i] = A[o + 5]; aId[i] = A[o + 6]; aBytes[i] = A[o + 7]; aReason[i] = A[o + 8];
      if (aEnd[i] - aSent[i] > maxDur) maxDur = aEnd[i] - aSent[i];
    }
    D.arrows = null;
  })();
  var M = D.markers, G = D.globals, F = D.faults;
  var mT = new Float64Array(M.length);
  for (var mi = 0; mi < M.length; mi++) mT[mi] = M[mi][0];
  var typeHidden = D.types.map(function () { return false; });
  function setGroupHidden(group, hidden) { for (var t = 0; t < D.types.length; t++) if (D.typeGroups[t] === group) typeHidden[t] = hidden; schedule(); }

  var CAT = {
    'leader': { shape: 'tri', color: '#b7791f', big: true, label: 1 },
    'follower': { shape: 'ring', color: '#718096', label: 2 },
    'isr': { shape: 'diamond', color: '#6b46c1', big: true, label: 1 },
    'hw': { shape: 'tick', color: '#2b6cb0', label: 3 },
    'truncate': { shape: 'itri', color: '#c53030', big: true, label: 1 },
    'election': { shape: 'star', color: '#b7791f', big: true, label: 1 },
    'fenced': { shape: 'square', color: '#2d3748', label: 1 },
    'unfenced': { shape: 'hsquare', color: '#2d3748', label: 1 },
    'send': { shape: 'dot', color: '#a0aec0', small: true },
    'send-ok': { shape: 'dot', color: '#38a169', label: 4 },
    'send-fail': { shape: 'cross', color: '#e53e3e', label: 2 },
    'send-info': { shape: 'qdot', color: '#dd6b20', label: 2 },
    'poll': { shape: 'ring', color: '#319795', small: true },
    'process': { shape: 'dot', color: '#81e6d9', small: true },
    'commit': { shape: 'square', color: '#2c7a7b', label: 3 },
    'commit-fail': { shape: 'cross', color: '#c53030', label: 2 },
    'assign': { shape: 'diamond', color: '#2c7a7b', label: 2 },
    'node-start': { shape: 'bar', color: '#68d391' },
    'node-up': { shape: 'bar', color: '#38a169', label: 1 },
    'node-down': { shape: 'bar', color: '#c53030', label: 1 },
    'node-pause': { shape: 'bar', color: '#dd6b20', label: 1 },
    'fault': { shape: 'flag', color: '#9b2c2c', label: 1 },
    'disk-loss': { shape: 'square', color: '#e53e3e', big: true, label: 1 },
    'settle': { shape: 'flag', color: '#2f855a', label: 1 },
    'lso': { shape: 'tick', color: '#805ad5', label: 3 },
    'txn-end': { shape: 'square', color: '#d69e2e', label: 2 },
    'txn-state': { shape: 'diamond', color: '#d69e2e', label: 2 },
    'txn-markers': { shape: 'flag', color: '#d69e2e', label: 2 },
    'txn-offset-commit': { shape: 'ring', color: '#d69e2e', label: 2 },
    'txn-offsets-complete': { shape: 'diamond', color: '#b7791f', label: 2 },
    'other': { shape: 'ring', color: '#4a5568', label: 3 }
  };
  var BAND = {
    'partition': { fill: 'rgba(229,62,62,0.10)', edge: '#e53e3e', hatch: 'rgba(229,62,62,0.30)' },
    'crash': { fill: 'rgba(45,55,72,0.16)', edge: '#2d3748', hatch: null },
    'power-loss': { fill: 'rgba(45,55,72,0.20)', edge: '#1a202c', hatch: 'rgba(26,32,44,0.35)' },
    'pause': { fill: 'rgba(237,137,54,0.16)', edge: '#dd6b20', hatch: null },
    'slow-disk': { fill: 'rgba(66,153,225,0.13)', edge: '#3182ce', hatch: null },
    'slow-net': { fill: 'rgba(66,153,225,0.13)', edge: '#3182ce', hatch: 'rgba(49,130,206,0.25)' },
    'clock-skew': { fill: 'rgba(159,122,234,0.14)', edge: '#805ad5', hatch: null }
  };

  // ---- elements and view state ----
  var diagram = document.getElementById('diagram');
  var plot = document.getElementById('plot');
  var cv = document.getElementById('canvas');
  var ctx = cv.getContext('2d');
  var tip = document.getElementById('tooltip');
  var panel = document.getElementById('details');
  var statusEl = document.getElementById('status');
  var rangeEl = document.getElementById('range');
  var W = 300, H = AXIS_H + D.lanes.length * LANE_H + BOTTOM;
  var spanAll = Math.max(D.end - D.start, 1000);
  var fullStart = D.start - spanAll * 0.015, fullEnd = D.start + spanAll * 1.015;
  var v0 = fullStart, v1 = fullEnd;
  var hover = null, pinned = null, pending = false, frames = 0;
  var drawn = { arrows: [], markers: [], bands: [], globals: [], clusterBoxes: [], story: [] };
  /** Marker index → where it was drawn this frame (spread apart when several share an instant). */
  var markerAt = {};
  var counts = {};
  var hatches = {};
  /** Per lane, where fault-band labels were written (marker labels below the line avoid them). */
  var bandLabels = [];

  function x(t) { return (t - v0) / (v1 - v0) * W; }
  function tAt(px) { return v0 + px / W * (v1 - v0); }
  function laneTop(l) { return AXIS_H + l * LANE_H; }
  function laneY(l) { return AXIS_H + l * LANE_H + LANE_H / 2; }
  function ms(us, decimals) { return (us / 1000).toFixed(decimals === undefined ? 3 : decimals); }
  function num(n) { return Number(n).toLocaleString('en-US'); }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function valueLabel(v) { return 'p' + Math.floor(v / D.valueStride) + ':' + (v % D.valueStride); }

  // ---- view changes ----
  function clampView() {
    var span = Math.max(MIN_SPAN_US, Math.min(v1 - v0, fullEnd - fullStart));
    if (v0 < fullStart) v0 = fullStart;
    if (v0 + span > fullEnd) v0 = fullEnd - span;
    v1 = v0 + span;
  }
  function setRange(a, b) { v0 = a; v1 = b; clampView(); schedule(); }
  function zoomAt(factor, px) {
    if (px === undefined) px = W / 2;
    var t = tAt(px), span = Math.max(MIN_SPAN_US, Math.min((v1 - v0) / factor, fullEnd - fullStart));
    setRange(t - px / W * span, t - px / W * span + span);
  }
  function panBy(px) { var dt = px / W * (v1 - v0); setRange(v0 + dt, v1 + dt); }
  function fit() { setRange(fullStart, fullEnd); }
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; draw(); });
  }
`;
