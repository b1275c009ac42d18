// The page script, part 2: drawing the visible window on the canvas (axis, lanes, fault bands,
// global lines, sampled arrows, markers with non-overlapping labels, highlights) and reporting
// what was drawn in the status line and in data-* attributes.
// Browser code inside a string: the determinism rules of traces/ do not apply to it.
export const SCRIPT_DRAW = String.raw`
  // ---- drawing ----
  function resize() {
    var dpr = window.devicePixelRatio || 1;
    W = Math.max(200, plot.clientWidth);
    cv.width = Math.round(W * dpr); cv.height = Math.round(H * dpr);
    cv.style.width = W + 'px'; cv.style.height = H + 'px';
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw();
  }

  function tickStep() {
    var raw = (v1 - v0) / Math.max(2, W / 105), pow = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * pow >= raw) return steps[i] * pow;
    return 10 * pow;
  }

  function drawAxis() {
    var step = tickStep(), decimals = step >= 1000 ? 0 : step >= 100 ? 1 : step >= 10 ? 2 : 3;
    ctx.fillStyle = '#f7fafc'; ctx.fillRect(0, 0, W, AXIS_H);
    ctx.strokeStyle = '#e2e8f0'; ctx.beginPath(); ctx.moveTo(0, AXIS_H - 0.5); ctx.lineTo(W, AXIS_H - 0.5); ctx.stroke();
    ctx.font = '11px system-ui, "DejaVu Sans", sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    var ticks = 0;
    for (var t = Math.ceil(v0 / step) * step; t <= v1; t += step) {
      var px = Math.round(x(t)) + 0.5;
      ctx.strokeStyle = '#edf2f7'; ctx.beginPath(); ctx.moveTo(px, AXIS_H); ctx.lineTo(px, H); ctx.stroke();
      ctx.strokeStyle = '#a0aec0'; ctx.beginPath(); ctx.moveTo(px, AXIS_H - 6); ctx.lineTo(px, AXIS_H); ctx.stroke();
      ctx.fillStyle = '#4a5568'; ctx.fillText(ms(t, decimals) + ' ms', px, AXIS_H / 2 - 1);
      ticks++;
    }
    counts.ticks = ticks; counts.tickStep = step;
  }

  function drawLanes() {
    for (var l = 0; l < D.lanes.length; l++) {
      ctx.fillStyle = l % 2 === 0 ? '#f9fafb' : '#ffffff';
      ctx.fillRect(0, laneTop(l), W, LANE_H);
      ctx.strokeStyle = '#edf2f7'; ctx.beginPath(); ctx.moveTo(0, laneTop(l) + 0.5); ctx.lineTo(W, laneTop(l) + 0.5); ctx.stroke();
      ctx.strokeStyle = '#cbd5e0'; ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(0, laneY(l)); ctx.lineTo(W, laneY(l)); ctx.stroke();
      ctx.lineWidth = 1;
    }
  }

  function hatch(color) {
    if (hatches[color]) return hatches[color];
    var c = document.createElement('canvas'); c.width = 8; c.height = 8;
    var g = c.getContext('2d'); g.strokeStyle = color; g.lineWidth = 1.2;
    g.beginPath(); g.moveTo(-2, 10); g.lineTo(10, -2); g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(6, 10); g.lineTo(10, 6); g.stroke();
    hatches[color] = ctx.createPattern(c, 'repeat');
    return hatches[color];
  }

  function drawBands() {
    var visible = 0;
    drawn.bands = [];
    bandLabels = D.lanes.map(function () { return []; });
    for (var i = 0; i < F.length; i++) {
      var f = F[i];
      if (f.end < v0 || f.start > v1) continue;
      visible++;
      var st = BAND[f.kind] || BAND.crash;
      var x0 = Math.max(-2, x(f.start)), x1 = Math.min(W + 2, Math.max(x(f.end), x(f.start) + 2));
      for (var j = 0; j < f.lanes.length; j++) {
        var y0 = laneTop(f.lanes[j]) + 1, h = LANE_H - 2;
        ctx.fillStyle = st.fill; ctx.fillRect(x0, y0, x1 - x0, h);
        if (st.hatch) { ctx.fillStyle = hatch(st.hatch); ctx.fillRect(x0, y0, x1 - x0, h); }
        ctx.strokeStyle = st.edge; ctx.lineWidth = 1.5;
        ctx.beginPath();
        if (f.start >= v0) { ctx.moveTo(x(f.start), y0); ctx.lineTo(x(f.start), y0 + h); }
        if (f.end <= v1 && !f.open) { ctx.moveTo(x(f.end), y0); ctx.lineTo(x(f.end), y0 + h); }
        ctx.stroke(); ctx.lineWidth = 1;
        if (x1 - x0 > 40) {
          ctx.save(); ctx.beginPath(); ctx.rect(x0, y0, x1 - x0, h); ctx.clip();
          ctx.font = '600 10.5px system-ui, "DejaVu Sans", sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'bottom';
          var text = f.label + (f.open ? ' (until the end)' : ''), tx = Math.max(x0, 0) + 5;
          ctx.fillStyle = st.edge; ctx.fillText(text, tx, y0 + h - 2);
          bandLabels[f.lanes[j]].push([tx - 3, Math.min(x1, tx + ctx.measureText(text).width + 3)]);
          ctx.restore();
        }
        drawn.bands.push({ i: i, x0: x0, x1: x1, y0: y0, y1: y0 + h });
      }
    }
    counts.faultBands = visible;
    counts.faultBandRects = drawn.bands.length;
  }

  function drawGlobals() {
    drawn.globals = [];
    ctx.font = '600 10.5px system-ui, "DejaVu Sans", sans-serif'; ctx.textBaseline = 'top'; ctx.textAlign = 'left';
    for (var i = 0; i < G.length; i++) {
      var g = G[i];
      if (g[0] < v0 || g[0] > v1) continue;
      var px = Math.round(x(g[0])) + 0.5, st = CAT[g[1]] || CAT.other;
      ctx.strokeStyle = st.color; ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(px, AXIS_H); ctx.lineTo(px, H - BOTTOM); ctx.stroke(); ctx.setLineDash([]);
      var w = ctx.measureText(g[2]).width + 8;
      ctx.fillStyle = st.color; ctx.fillRect(px, AXIS_H + 1, w, 14);
      ctx.fillStyle = '#fff'; ctx.fillText(g[2], px + 4, AXIS_H + 2);
      drawn.globals.push({ i: i, x: px });
    }
    counts.globals = drawn.globals.length;
  }

  function firstAtLeast(arr, n, t) {
    var lo = 0, hi = n;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < t) lo = mid + 1; else hi = mid; }
    return lo;
  }

  function arrowsInView() {
    var out = [], lo = firstAtLeast(aSent, nA, v0 - maxDur), hi = firstAtLeast(aSent, nA, v1 + 1);
    for (var i = lo; i < hi; i++) if (aEnd[i] >= v0 && !typeHidden[aType[i]]) out.push(i);
    return out;
  }

  // An even sample when too many are in view; drops are always kept.
  function sample(list, max) {
    if (list.length <= max) return list;
    var keep = [], rest = [];
    for (var i = 0; i < list.length; i++) (aOut[list[i]] === 1 ? keep : rest).push(list[i]);
    keep = keep.slice(0, max);
    var room = max - keep.length, stride = rest.length / Math.max(1, room);
    for (var k = 0; k < room; k++) keep.push(rest[Math.floor(k * stride)]);
    return keep;
  }

  function arrowGeometry(i) {
    var x1 = x(aSent[i]), y1 = laneY(aFrom[i]), x2 = x(aEnd[i]), y2 = laneY(aTo[i]);
    if (aOut[i] === 1) y2 = y1 + (y2 - y1) * 0.6;
    return { x1: x1, y1: y1, x2: x2, y2: y2 };
  }

  function strokeArrow(i, g, width, alpha) {
    ctx.globalAlpha = alpha; ctx.strokeStyle = D.typeColors[aType[i]]; ctx.lineWidth = width;
    if (aOut[i] >= 2) ctx.setLineDash([5, 3]);
    ctx.beginPath(); ctx.moveTo(g.x1, g.y1); ctx.lineTo(g.x2, g.y2); ctx.stroke(); ctx.setLineDash([]);
    var dx = g.x2 - g.x1, dy = g.y2 - g.y1, len = Math.sqrt(dx * dx + dy * dy);
    if (aOut[i] === 1) {
      ctx.globalAlpha = 1; ctx.strokeStyle = '#e53e3e'; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(g.x2 - 4, g.y2 - 4); ctx.lineTo(g.x2 + 4, g.y2 + 4); ctx.moveTo(g.x2 + 4, g.y2 - 4); ctx.lineTo(g.x2 - 4, g.y2 + 4); ctx.stroke();
    } else if (len > 9 && aOut[i] !== 3) {
      var ux = dx / len, uy = dy / len, s = 3 + width * 1.5;
      ctx.fillStyle = D.typeColors[aType[i]];
      ctx.beginPath(); ctx.moveTo(g.x2, g.y2);
      ctx.lineTo(g.x2 - ux * s * 1.6 - uy * s * 0.8, g.y2 - uy * s * 1.6 + ux * s * 0.8);
      ctx.lineTo(g.x2 - ux * s * 1.6 + uy * s * 0.8, g.y2 - uy * s * 1.6 - ux * s * 0.8);
      ctx.closePath(); ctx.fill();
    }
    ctx.globalAlpha = 1; ctx.lineWidth = 1;
  }

  function drawArrows() {
    var inView = arrowsInView(), chosen = sample(inView, MAX_ARROWS);
    var alpha = chosen.length > 1500 ? 0.45 : chosen.length > 400 ? 0.7 : 0.9;
    drawn.arrows = [];
    for (var k = 0; k < chosen.length; k++) {
      var i = chosen[k], g = arrowGeometry(i);
      strokeArrow(i, g, 1.2, alpha);
      g.i = i; drawn.arrows.push(g);
    }
    counts.arrowsInView = inView.length; counts.arrows = chosen.length; counts.arrowsTotal = nA;
    counts.arrowsDropped = 0;
    for (var d = 0; d < chosen.length; d++) if (aOut[chosen[d]] === 1) counts.arrowsDropped++;
  }

  function shape(c, kind, px, py, color, r) {
    c.fillStyle = color; c.strokeStyle = color; c.lineWidth = 1.6;
    c.beginPath();
    switch (kind) {
      case 'tri': c.moveTo(px, py - r * 1.2); c.lineTo(px + r, py + r * 0.7); c.lineTo(px - r, py + r * 0.7); c.closePath(); c.fill(); break;
      case 'itri': c.moveTo(px, py + r * 1.2); c.lineTo(px + r, py - r * 0.7); c.lineTo(px - r, py - r * 0.7); c.closePath(); c.fill(); break;
      case 'diamond': c.moveTo(px, py - r * 1.2); c.lineTo(px + r, py); c.lineTo(px, py + r * 1.2); c.lineTo(px - r, py); c.closePath(); c.fill(); break;
      case 'square': c.rect(px - r * 0.85, py - r * 0.85, r * 1.7, r * 1.7); c.fill(); break;
      case 'hsquare': c.rect(px - r * 0.8, py - r * 0.8, r * 1.6, r * 1.6); c.fillStyle = '#fff'; c.fill(); c.stroke(); break;
      case 'ring': c.arc(px, py, r * 0.8, 0, Math.PI * 2); c.fillStyle = '#fff'; c.fill(); c.stroke(); break;
      case 'dot': c.arc(px, py, r * 0.8, 0, Math.PI * 2); c.fill(); break;
      case 'qdot': c.arc(px, py, r * 0.85, 0, Math.PI * 2); c.fillStyle = '#fff'; c.fill(); c.stroke(); c.beginPath(); c.arc(px, py, r * 0.35, 0, Math.PI * 2); c.fillStyle = color; c.fill(); break;
      case 'tick': c.rect(px - 1, py - r * 1.3, 2.2, r * 2.6); c.fill(); break;
      case 'bar': c.rect(px - 1.8, py - r * 1.9, 3.6, r * 3.8); c.fill(); break;
      case 'cross': c.moveTo(px - r, py - r); c.lineTo(px + r, py + r); c.moveTo(px + r, py - r); c.lineTo(px - r, py + r); c.lineWidth = 2.2; c.stroke(); break;
      case 'flag': c.rect(px - 0.8, py - r * 1.9, 1.6, r * 3.8); c.fill(); c.beginPath(); c.moveTo(px, py - r * 1.9); c.lineTo(px + r * 1.6, py - r * 1.4); c.lineTo(px, py - r * 0.9); c.closePath(); c.fill(); break;
      case 'star':
        for (var k = 0; k < 10; k++) {
          var a = -Math.PI / 2 + k * Math.PI / 5, rr = k % 2 === 0 ? r * 1.35 : r * 0.6;
          if (k === 0) c.moveTo(px + rr * Math.cos(a), py + rr * Math.sin(a)); else c.lineTo(px + rr * Math.cos(a), py + rr * Math.sin(a));
        }
        c.closePath(); c.fill(); break;
      default: c.arc(px, py, r, 0, Math.PI * 2); c.fill();
    }
    c.lineWidth = 1;
  }

  function markerPos(i) { return markerAt[i] || { x: x(M[i][0]), y: laneY(M[i][1]) }; }

  function markerRadius(st) { return st.big ? 5.5 : st.small ? 2.6 : 4.2; }

  function drawMarkers() {
    var lo = firstAtLeast(mT, M.length, v0), hi = firstAtLeast(mT, M.length, v1 + 1);
    var list = [];
    for (var i = lo; i < hi; i++) list.push(i);
    var inView = list.length;
    if (list.length > MAX_MARKERS) {
      var stride = list.length / MAX_MARKERS, picked = [];
      for (var k = 0; k < MAX_MARKERS; k++) picked.push(list[Math.floor(k * stride)]);
      list = picked;
    }
    drawn.markers = [];
    for (var j = 0; j < list.length; j++) drawn.markers.push({ i: list[j], x: x(M[list[j]][0]), y: laneY(M[list[j]][1]) });
    var clusters = spreadClusters(drawn.markers);
    markerAt = {};
    for (var a = 0; a < drawn.markers.length; a++) markerAt[drawn.markers[a].i] = drawn.markers[a];
    for (var d = 0; d < drawn.markers.length; d++) {
      var dm = drawn.markers[d], st = CAT[M[dm.i][2]] || CAT.other;
      shape(ctx, st.shape, dm.x, dm.y, st.color, markerRadius(st));
    }
    var reserved = D.lanes.map(function () { return []; });
    drawClusterLabels(clusters, reserved);
    drawLabels(reserved);
    counts.markersInView = inView; counts.markers = drawn.markers.length; counts.markersTotal = M.length;
    counts.clusters = clusters.length; counts.clusterLabels = drawn.clusterBoxes.length;
  }

  // Markers of one lane at one instant (five controller records at a failover) are drawn side by
  // side, centred on their time, so that each can be seen, hovered and labelled.
  var SPREAD_PX = 11;
  function spreadClusters(list) {
    var byKey = {}, clusters = [];
    for (var i = 0; i < list.length; i++) {
      var m = M[list[i].i], key = m[0] + ' ' + m[1];
      if (!byKey[key]) { byKey[key] = { lane: m[1], t: m[0], members: [] }; clusters.push(byKey[key]); }
      byKey[key].members.push(list[i]);
    }
    clusters = clusters.filter(function (c) { return c.members.length > 1; });
    for (var c = 0; c < clusters.length; c++) {
      var ms = clusters[c].members, n = ms.length, gap = Math.min(SPREAD_PX, 160 / n);
      for (var k = 0; k < n; k++) { ms[k].x += (k - (n - 1) / 2) * gap; ms[k].cluster = c; }
    }
    return clusters;
  }

  // A cluster's labels as a list in one box beside it, most important first, where the box fits.
  function drawClusterLabels(clusters, reserved) {
    drawn.clusterBoxes = [];
    var order = clusters.map(function (c) {
      var lines = [], best = 9;
      c.members.slice().sort(function (a, b) { return ((CAT[M[a.i][2]] || CAT.other).label || 9) - ((CAT[M[b.i][2]] || CAT.other).label || 9); }).forEach(function (d) {
        var m = M[d.i], st = CAT[m[2]] || CAT.other;
        if (!m[3] || !st.label || st.label > 2 || lines.indexOf(m[3]) >= 0) return;
        lines.push(m[3]); best = Math.min(best, st.label);
      });
      return { c: c, lines: lines, best: best };
    }).filter(function (o) { return o.lines.length > 1; }).sort(function (a, b) { return a.best - b.best; });
    ctx.font = '600 10.5px system-ui, "DejaVu Sans", sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'top';
    for (var i = 0; i < order.length; i++) {
      var o = order[i], lines = o.lines.slice(0, 6), w = 0;
      if (o.lines.length > 6) lines.push('+' + (o.lines.length - 6) + ' more');
      for (var l = 0; l < lines.length; l++) w = Math.max(w, ctx.measureText(lines[l]).width);
      w += 10;
      var h = lines.length * 12 + 4, xs = o.c.members.map(function (d) { return d.x; });
      var bx = Math.max.apply(null, xs) + 8, by = Math.max(AXIS_H + 2, laneY(o.c.lane) - h / 2);
      if (bx + w > W) bx = Math.min.apply(null, xs) - 8 - w;
      by = Math.min(by, H - BOTTOM - h);
      var clash = drawn.clusterBoxes.some(function (b) { return bx < b.x + b.w && bx + w > b.x && by < b.y + b.h && by + h > b.y; });
      if (clash || bx < 0) continue;
      ctx.fillStyle = 'rgba(255,255,255,0.93)'; ctx.fillRect(bx, by, w, h);
      ctx.strokeStyle = '#a0aec0'; ctx.strokeRect(bx + 0.5, by + 0.5, w - 1, h - 1);
      for (var k = 0; k < lines.length; k++) {
        var member = o.c.members.filter(function (d) { return M[d.i][3] === lines[k]; })[0];
        ctx.fillStyle = member ? (CAT[M[member.i][2]] || CAT.other).color : '#4a5568';
        ctx.fillText(lines[k], bx + 5, by + 3 + k * 12);
      }
      o.c.members.forEach(function (d) { d.boxed = true; });
      reserved[o.c.lane].push([Math.min.apply(null, xs) - 6, bx + w]);
      drawn.clusterBoxes.push({ x: bx, y: by, w: w, h: h, lane: o.c.lane, t: o.c.t, lines: lines });
    }
  }

  // Labels beside markers, most important first, never overlapping on a lane: above the marker,
  // or (for the important ones) below it when the space above is taken.
  function labelRow(rows, a, b) {
    for (var u = 0; u < rows.length; u++) if (a < rows[u][1] && b > rows[u][0]) return false;
    rows.push([a, b]);
    return true;
  }
  function drawLabels(reserved) {
    ctx.font = '10.5px system-ui, "DejaVu Sans", sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
    var above = reserved.map(function (l) { return l.slice(); }), below = bandLabels.map(function (l, i) { return l.concat(reserved[i]); });
    for (var pass = 1; pass <= 4; pass++) {
      for (var j = 0; j < drawn.markers.length; j++) {
        var d = drawn.markers[j], m = M[d.i], st = CAT[m[2]] || CAT.other;
        if (st.label !== pass || !m[3] || d.boxed) continue;
        var w = ctx.measureText(m[3]).width, cx = Math.max(w / 2 + 3, Math.min(W - w / 2 - 3, d.x));
        var a = cx - w / 2 - 3, b = cx + w / 2 + 3, y;
        if (labelRow(above[m[1]], a, b)) y = d.y - 8.5;
        else if (pass <= 2 && labelRow(below[m[1]], a, b)) y = d.y + 20.5;
        else continue;
        ctx.fillStyle = 'rgba(255,255,255,0.8)'; ctx.fillRect(a + 1, y - 12.5, b - a - 2, 12);
        ctx.fillStyle = st.color; ctx.fillText(m[3], cx, y);
      }
    }
  }

  function drawHighlight(item) {
    if (!item) return;
    if (item.type === 'arrow') {
      var g = arrowGeometry(item.i);
      ctx.globalAlpha = 0.25; ctx.strokeStyle = '#1a202c'; ctx.lineWidth = 7;
      ctx.beginPath(); ctx.moveTo(g.x1, g.y1); ctx.lineTo(g.x2, g.y2); ctx.stroke(); ctx.globalAlpha = 1;
      strokeArrow(item.i, g, 2.4, 1);
    } else if (item.type === 'marker') {
      var m = M[item.i], st = CAT[m[2]] || CAT.other, at = markerPos(item.i);
      ctx.strokeStyle = '#1a202c'; ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.arc(at.x, at.y, markerRadius(st) + 4, 0, Math.PI * 2); ctx.stroke(); ctx.lineWidth = 1;
    } else if (item.type === 'band') {
      var f = F[item.i];
      ctx.strokeStyle = '#1a202c'; ctx.lineWidth = 2;
      for (var j = 0; j < f.lanes.length; j++) ctx.strokeRect(x(f.start), laneTop(f.lanes[j]) + 1, x(f.end) - x(f.start), LANE_H - 2);
      ctx.lineWidth = 1;
    }
  }

  function draw() {
    frames++;
    clampView();
    ctx.clearRect(0, 0, W, H);
    drawLanes();
    drawAxis();
    drawBands();
    drawGlobals();
    drawArrows();
    drawMarkers();
    drawStory();
    drawHighlight(pinned);
    drawHighlight(hover);
    report();
  }

  // ---- status line, range and the attributes a test (or a person with devtools) can read ----
  function report() {
    var decimals = v1 - v0 < 100 ? 3 : v1 - v0 < 10000 ? 2 : 1;
    rangeEl.textContent = ms(Math.max(v0, D.start), decimals) + ' – ' + ms(v1, decimals) + ' ms';
    var capped = counts.arrowsInView > counts.arrows;
    statusEl.innerHTML = 'View ' + esc(rangeEl.textContent) + ' (' + ms(v1 - v0, decimals) + ' ms wide) · ' +
      num(counts.arrows) + (capped ? ' of <span class="capped">' + num(counts.arrowsInView) + ' messages in view (an even sample; zoom in to see all)</span>' : ' messages') +
      ' · ' + num(counts.markers) + (counts.markersInView > counts.markers ? ' of ' + num(counts.markersInView) : '') + ' markers' +
      ' · ' + num(counts.faultBands) + ' fault periods';
    var attrs = { 'viewStart': v0, 'viewEnd': v1, 'arrowsDrawn': counts.arrows, 'arrowsInView': counts.arrowsInView,
      'arrowsTotal': nA, 'faultBandsDrawn': counts.faultBands, 'faultBandsTotal': F.length, 'markersDrawn': counts.markers,
      'markersTotal': M.length, 'frames': frames };
    for (var key in attrs) diagram.dataset[key] = String(attrs[key]);
  }
`;
