// The page script, part 3: what is under the pointer, and its record as a tooltip (hover) or in
// the side panel (click).
// Browser code inside a string: the determinism rules of traces/ do not apply to it.
export const SCRIPT_DETAILS = String.raw`
  // ---- details: tooltip on hover, side panel on click ----
  function rows(pairs) {
    var html = '<table class="fields">';
    for (var i = 0; i < pairs.length; i++) if (pairs[i][1] !== undefined && pairs[i][1] !== null && pairs[i][1] !== '') html += '<tr><th>' + esc(pairs[i][0]) + '</th><td>' + esc(pairs[i][1]) + '</td></tr>';
    return html + '</table>';
  }
  function fieldText(key, v) {
    if (key === 'value' && typeof v === 'number') return valueLabel(v) + ' (' + v + ')';
    if (Array.isArray(v)) return '[' + v.map(function (e) { return Array.isArray(e) ? '[' + e.join(',') + ']' : String(e); }).join(', ') + ']';
    return typeof v === 'string' ? v : JSON.stringify(v);
  }
  function recordRows(t, node, kind, fields) {
    var pairs = [['time', ms(t) + ' ms'], ['node', node], ['kind', kind]];
    for (var key in fields) pairs.push([key, fieldText(key, fields[key])]);
    return rows(pairs);
  }
  function detailsHtml(item) {
    if (item.type === 'arrow') {
      var i = item.i, out = D.outcomes[aOut[i]], from = D.lanes[aFrom[i]], to = D.lanes[aTo[i]];
      var endName = out === 'dropped' ? 'dropped at' : out === 'in-flight' ? 'in flight at end' : 'delivered';
      return '<h2>' + esc(D.types[aType[i]] + ' #' + aId[i] + ': ' + from + ' → ' + to) + '</h2>' + rows([
        ['message', D.types[aType[i]]], ['id', aId[i]], ['from', from], ['to', to], ['sent', ms(aSent[i]) + ' ms'],
        [endName, ms(aEnd[i]) + ' ms'], ['in transit', ms(aEnd[i] - aSent[i]) + ' ms'], ['bytes', aBytes[i] >= 0 ? num(aBytes[i]) : ''],
        ['outcome', out], ['reason', aReason[i] >= 0 ? D.reasons[aReason[i]] : '']]);
    }
    if (item.type === 'marker') {
      var m = M[item.i];
      return '<h2>' + esc(m[5] + ' on ' + D.lanes[m[1]]) + '</h2><p class="sentence">' + esc(m[4]) + '</p>' + recordRows(m[0], D.lanes[m[1]], m[5], m[6]);
    }
    if (item.type === 'global') {
      var g = G[item.i];
      return '<h2>' + esc(g[4]) + '</h2><p class="sentence">' + esc(g[3]) + '</p>' + recordRows(g[0], '*', g[4], g[5]);
    }
    var f = F[item.i];
    return '<h2>' + esc(f.label) + '</h2>' + rows([['fault', f.kind], ['nodes', f.lanes.map(function (l) { return D.lanes[l]; }).join(', ')],
      ['from', ms(f.start) + ' ms'], ['until', ms(f.end) + ' ms' + (f.open ? ' (end of trace: still in force)' : '')], ['lasted', ms(f.end - f.start) + ' ms']]);
  }

  function distToSegment(px, py, g) {
    var dx = g.x2 - g.x1, dy = g.y2 - g.y1, l2 = dx * dx + dy * dy;
    var t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - g.x1) * dx + (py - g.y1) * dy) / l2));
    var ex = g.x1 + t * dx - px, ey = g.y1 + t * dy - py;
    return Math.sqrt(ex * ex + ey * ey);
  }

  // What is under the pointer: a marker, else an arrow, else a global line, else a band.
  function hitTest(px, py) {
    // Markers first; where several overlap, the nearest wins, with a head start for the important.
    var best = null, bestScore = Infinity, near = 0;
    for (var i = 0; i < drawn.markers.length; i++) {
      var m = drawn.markers[i], d = Math.max(Math.abs(m.x - px), Math.abs(m.y - py));
      if (d >= 8) continue;
      near++;
      var score = d + ((CAT[M[m.i][2]] || CAT.other).label || 5) * 0.8;
      if (score < bestScore) { bestScore = score; best = { type: 'marker', i: m.i }; }
    }
    if (best) { best.others = near - 1; return best; }
    var bestD = 5;
    for (var j = 0; j < drawn.arrows.length; j++) {
      var da = distToSegment(px, py, drawn.arrows[j]);
      if (da < bestD) { bestD = da; best = { type: 'arrow', i: drawn.arrows[j].i }; }
    }
    if (best) return best;
    for (var k = 0; k < drawn.globals.length; k++) if (Math.abs(drawn.globals[k].x - px) < 4 || (py < AXIS_H + 16 && px >= drawn.globals[k].x && px < drawn.globals[k].x + 60)) return { type: 'global', i: drawn.globals[k].i };
    for (var b = drawn.bands.length - 1; b >= 0; b--) {
      var r = drawn.bands[b];
      if (px >= r.x0 && px <= r.x1 && py >= r.y0 && py <= r.y1) return { type: 'band', i: r.i };
    }
    return null;
  }
  function same(a, b) { return a === b || (a && b && a.type === b.type && a.i === b.i); }

  function showTip(item, cx, cy) {
    if (!item) { tip.hidden = true; return; }
    tip.innerHTML = detailsHtml(item) + (item.others ? '<p class="more">' + item.others + ' more marker' + (item.others > 1 ? 's' : '') + ' here: zoom in to pick them apart</p>' : '');
    tip.dataset.type = item.type;
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = cx + 14 + w > window.innerWidth ? cx - w - 14 : cx + 14;
    var top = cy + 14 + h > window.innerHeight ? cy - h - 10 : cy + 14;
    tip.style.left = Math.max(4, left) + 'px'; tip.style.top = Math.max(4, top) + 'px';
  }
  function pin(item) {
    pinned = item;
    panel.dataset.type = item ? item.type : '';
    panel.innerHTML = item ? detailsHtml(item) : storyHtml() + '<p class="hint">Click an arrow, marker or band to see its record here. Hover shows it too.</p>';
    schedule();
  }
`;
