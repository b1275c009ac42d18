// The report page's script: one uPlot chart per ChartSpec (charts.ts), with the run's fault bands
// shaded and labelled, the settle phase marked, and a line under each chart naming the faults in
// force where the pointer is. `window.ksimReport` lists the charts for tests.
// Browser code inside a string: it runs in the reader's browser, after uPlot's own script.
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var R = JSON.parse(document.getElementById('ksim-report-data').textContent);
  var BAND = {
    'partition': { fill: 'rgba(229,62,62,0.13)', edge: '#c53030' },
    'crash': { fill: 'rgba(45,55,72,0.09)', edge: '#2d3748' },
    'power-loss': { fill: 'rgba(26,32,44,0.20)', edge: '#1a202c' },
    'pause': { fill: 'rgba(237,137,54,0.16)', edge: '#c05621' },
    'slow-disk': { fill: 'rgba(66,153,225,0.14)', edge: '#2b6cb0' },
    'slow-net': { fill: 'rgba(66,153,225,0.14)', edge: '#2b6cb0' },
    'clock-skew': { fill: 'rgba(159,122,234,0.15)', edge: '#6b46c1' }
  };
  var FONT = 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif';
  var instances = [];

  function bandStyle(kind) { return BAND[kind] || BAND.crash; }

  // Fault bands under the series; labels in rows at the top of the plot where they fit.
  function drawBands(u, spec) {
    var ctx = u.ctx, b = u.bbox, px = uPlot.pxRatio, rows = [];
    ctx.save();
    ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
    for (var i = 0; i < spec.bands.length; i++) {
      var f = spec.bands[i], st = bandStyle(f.kind);
      var x0 = u.valToPos(f.start, 'x', true), x1 = Math.max(u.valToPos(f.end, 'x', true), x0 + px);
      ctx.fillStyle = st.fill; ctx.fillRect(x0, b.top, x1 - x0, b.height);
      ctx.fillStyle = st.edge; ctx.fillRect(x0, b.top, px, b.height);
    }
    ctx.font = (10.5 * px) + 'px ' + FONT; ctx.textBaseline = 'top'; ctx.textAlign = 'left';
    for (var j = 0; j < spec.bands.length; j++) {
      var g = spec.bands[j], s = bandStyle(g.kind), text = g.label + (g.open ? ' (to the end)' : '');
      var a = u.valToPos(g.start, 'x', true) + 3 * px, w = ctx.measureText(text).width;
      if (u.valToPos(g.end, 'x', true) - a < w * 0.6) continue;
      var row = 0;
      while (row < rows.length && rows[row] > a) row++;
      if (row > 2) continue;
      rows[row] = a + w + 8 * px;
      var y = b.top + (2 + row * 13) * px;
      ctx.fillStyle = 'rgba(255,255,255,0.82)'; ctx.fillRect(a - 2 * px, y - px, w + 4 * px, 12 * px);
      ctx.fillStyle = s.edge; ctx.fillText(text, a, y);
    }
    ctx.restore();
  }

  function drawMark(u, spec) {
    if (!spec.mark) return;
    var ctx = u.ctx, b = u.bbox, px = uPlot.pxRatio, xm = Math.round(u.valToPos(spec.mark.at, 'x', true));
    if (xm < b.left || xm > b.left + b.width) return;
    ctx.save();
    ctx.strokeStyle = '#2f855a'; ctx.lineWidth = 1.5 * px; ctx.setLineDash([5 * px, 4 * px]);
    ctx.beginPath(); ctx.moveTo(xm, b.top); ctx.lineTo(xm, b.top + b.height); ctx.stroke();
    ctx.setLineDash([]); ctx.font = '600 ' + (10.5 * px) + 'px ' + FONT; ctx.textBaseline = 'bottom'; ctx.textAlign = 'right';
    ctx.fillStyle = '#2f855a'; ctx.fillText(spec.mark.label, xm - 3 * px, b.top + b.height - 3 * px);
    ctx.restore();
  }

  // Unclean elections and losses: a red line each, labelled at the foot of the plot where it fits.
  function drawMoments(u, spec) {
    if (!spec.moments || spec.moments.length === 0) return;
    var ctx = u.ctx, b = u.bbox, px = uPlot.pxRatio, rows = [];
    ctx.save();
    ctx.font = '600 ' + (10.5 * px) + 'px ' + FONT; ctx.textBaseline = 'bottom'; ctx.textAlign = 'left';
    for (var i = 0; i < spec.moments.length; i++) {
      var m = spec.moments[i], xm = Math.round(u.valToPos(m.at, 'x', true));
      if (xm < b.left || xm > b.left + b.width) continue;
      ctx.strokeStyle = '#c53030'; ctx.lineWidth = 2 * px;
      ctx.beginPath(); ctx.moveTo(xm, b.top); ctx.lineTo(xm, b.top + b.height); ctx.stroke();
      var w = ctx.measureText(m.label).width, lx = xm + 4 * px;
      if (lx + w > b.left + b.width) lx = Math.max(b.left + 4 * px, xm - 4 * px - w);
      var row = 0;
      while (row < rows.length && rows[row].some(function (r) { return lx < r[1] && lx + w > r[0]; })) row++;
      if (row > 2) continue;
      if (!rows[row]) rows[row] = [];
      rows[row].push([lx - 3 * px, lx + w + 3 * px]);
      var y = b.top + b.height - (16 + row * 15) * px;
      ctx.fillStyle = 'rgba(255,245,245,0.95)'; ctx.fillRect(lx - 3 * px, y - 12 * px, w + 6 * px, 14 * px);
      ctx.strokeStyle = '#c53030'; ctx.lineWidth = px; ctx.strokeRect(lx - 3 * px, y - 12 * px, w + 6 * px, 14 * px);
      ctx.fillStyle = '#c53030'; ctx.fillText(m.label, lx, y);
    }
    ctx.restore();
  }

  function faultsAt(spec, t) {
    var names = [];
    for (var i = 0; i < spec.bands.length; i++) if (spec.bands[i].start <= t && t <= spec.bands[i].end) names.push(spec.bands[i].label);
    return names;
  }

  function yAxis(spec) {
    var axis = { label: spec.yLabel, size: 60, labelSize: 18, font: '11px ' + FONT, labelFont: '11px ' + FONT };
    if (spec.yNames) {
      axis.splits = function () { return spec.yNames.map(function (_, i) { return i; }); };
      axis.values = function (u, splits) { return splits.map(function (v) { return spec.yNames[v] || ''; }); };
    }
    return axis;
  }

  function xAxis(spec) {
    var axis = { font: '11px ' + FONT, labelFont: '11px ' + FONT, labelSize: 18 };
    if (spec.kind === 'bars') {
      axis.label = 'row';
      axis.splits = function () { return spec.x.slice(); };
      axis.values = function (u, splits) { return splits.map(function (v) { return '#' + (v + 1); }); };
    } else {
      axis.label = 'simulated time (s)';
      axis.values = function (u, splits) { return splits.map(function (v) { return v + ' s'; }); };
    }
    return axis;
  }

  function seriesOf(spec) {
    var list = [{ label: spec.kind === 'bars' ? 'row' : 'time', value: function (u, v) {
      if (v == null) return '–';
      return spec.kind === 'bars' ? '#' + (v + 1) + ' ' + spec.xNames[v] : v.toFixed(2) + ' s';
    } }];
    for (var i = 0; i < spec.series.length; i++) {
      var s = spec.series[i], entry = { label: s.label, stroke: s.color, width: 1.6, spanGaps: false, points: { show: false } };
      if (s.dash) entry.dash = [6, 4];
      if (s.step) entry.paths = uPlot.paths.stepped({ align: 1 });
      if (spec.kind === 'bars') { entry.paths = uPlot.paths.bars({ size: [0.6, 80] }); entry.fill = s.color + 'bb'; entry.points = { show: false }; }
      if (spec.yNames) entry.value = function (u, v) { return v == null ? 'no leader' : spec.yNames[Math.round(v)] || '?'; };
      list.push(entry);
    }
    return list;
  }

  function dataOf(spec) {
    var data = [spec.x.slice()];
    for (var i = 0; i < spec.series.length; i++) {
      var s = spec.series[i], off = s.offset || 0;
      data.push(s.values.map(function (v) {
        if (v == null) return null;
        if (spec.log) return Math.max(v, 0.01);
        return v + off;
      }));
    }
    return data;
  }

  function scales(spec) {
    var y = spec.log ? { distr: 3 } : { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.08 + (spec.yNames ? 0.3 : 0) : 1]; } };
    if (spec.yNames) y = { range: [-0.5, spec.yNames.length - 0.5] };
    var x = spec.kind === 'bars' ? { time: false, range: [-0.5, spec.x.length - 0.5] } : { time: false };
    return { x: x, y: y };
  }

  function make(el, spec) {
    var status = el.parentNode.querySelector('.faults-here');
    var opts = {
      width: Math.max(320, el.clientWidth), height: spec.kind === 'bars' ? 200 : 230,
      scales: scales(spec), axes: [xAxis(spec), yAxis(spec)], series: seriesOf(spec),
      cursor: { drag: { x: spec.kind !== 'bars', y: false } },
      hooks: {
        drawClear: [function (u) { if (spec.bands) drawBands(u, spec); }],
        draw: [function (u) { drawMark(u, spec); drawMoments(u, spec); }],
        setCursor: [function (u) {
          if (!status || !spec.bands) return;
          var left = u.cursor.left;
          if (left == null || left < 0) { status.textContent = ''; return; }
          var names = faultsAt(spec, u.posToVal(left, 'x'));
          status.textContent = names.length ? 'faults in force here: ' + names.join(' · ') : 'no fault in force here';
        }]
      }
    };
    var chart = new uPlot(opts, dataOf(spec), el);
    el.dataset.rendered = 'true';
    instances.push({ id: spec.id, chart: chart, el: el });
  }

  var specs = {};
  R.charts.forEach(function (spec) { specs[spec.id] = spec; });
  var els = document.querySelectorAll('[data-chart]');
  for (var i = 0; i < els.length; i++) {
    var spec = specs[els[i].dataset.chart];
    if (spec) make(els[i], spec);
  }
  var pending = false;
  window.addEventListener('resize', function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      instances.forEach(function (c) { c.chart.setSize({ width: Math.max(320, c.el.clientWidth), height: c.chart.height }); });
    });
  });
  window.ksimReport = {
    charts: function () { return instances.map(function (c) { return { id: c.id, series: c.chart.series.length - 1, points: c.chart.data[0].length }; }); },
    uPlotVersion: R.uPlotVersion
  };
})();
`;
