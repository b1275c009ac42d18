// The page script, part 4: mouse, wheel, keyboard and buttons; legend icons; `window.ksimView`,
// the handle tests and curious people use; start-up.
// Browser code inside a string: the determinism rules of traces/ do not apply to it.
export const SCRIPT_INPUT = String.raw`
  // ---- input ----
  var drag = null;
  function local(e) { var r = cv.getBoundingClientRect(); return { x: e.clientX - r.left, y: e.clientY - r.top }; }
  cv.addEventListener('wheel', function (e) {
    e.preventDefault();
    var p = local(e);
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) panBy((e.deltaX || e.deltaY) * 0.8);
    else zoomAt(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)), p.x);
  }, { passive: false });
  cv.addEventListener('mousedown', function (e) {
    if (e.button !== 0) return;
    drag = { x: e.clientX, v0: v0, v1: v1, moved: false };
    plot.classList.add('dragging');
  });
  window.addEventListener('mousemove', function (e) {
    if (drag) {
      var dx = e.clientX - drag.x;
      if (Math.abs(dx) > 3) drag.moved = true;
      if (drag.moved) { var dt = -dx / W * (drag.v1 - drag.v0); setRange(drag.v0 + dt, drag.v1 + dt); tip.hidden = true; }
      return;
    }
    if (e.target !== cv) { if (hover) { hover = null; schedule(); } tip.hidden = true; return; }
    var p = local(e), item = hitTest(p.x, p.y);
    if (!same(item, hover)) { hover = item; schedule(); }
    showTip(item, e.clientX, e.clientY);
  });
  window.addEventListener('mouseup', function (e) {
    if (!drag) return;
    var moved = drag.moved;
    drag = null; plot.classList.remove('dragging');
    if (!moved && e.target === cv) { var p = local(e); pin(hitTest(p.x, p.y)); }
  });
  cv.addEventListener('mouseleave', function () { tip.hidden = true; if (hover) { hover = null; schedule(); } });
  document.addEventListener('keydown', function (e) {
    if (e.target && (e.target.tagName === 'INPUT' || e.target.tagName === 'TEXTAREA')) return;
    var step = { '+': 1, '=': 1, '-': -1, '_': -1 }[e.key];
    if (step) { zoomAt(step > 0 ? 1.6 : 1 / 1.6); e.preventDefault(); }
    else if (e.key === '0' || e.key === 'Home') { fit(); e.preventDefault(); }
    else if (e.key === 'ArrowLeft') { panBy(-W * 0.2); e.preventDefault(); }
    else if (e.key === 'ArrowRight') { panBy(W * 0.2); e.preventDefault(); }
    else if (e.key === 'Escape') pin(null);
  });
  function button(id, fn) { document.getElementById(id).addEventListener('click', fn); }
  button('zoom-in', function () { zoomAt(2); });
  button('zoom-out', function () { zoomAt(0.5); });
  button('zoom-fit', fit);
  button('pan-left', function () { panBy(-W * 0.4); });
  button('pan-right', function () { panBy(W * 0.4); });
  var toggles = document.querySelectorAll('[data-group-index]');
  for (var ti = 0; ti < toggles.length; ti++) {
    toggles[ti].addEventListener('change', function (e) { setGroupHidden(Number(e.target.dataset.groupIndex), !e.target.checked); });
  }

  // ---- legend icons, drawn with the same code as the diagram ----
  function legendIcons() {
    var icons = document.querySelectorAll('canvas[data-icon]');
    for (var i = 0; i < icons.length; i++) {
      var c = icons[i], g = c.getContext('2d'), dpr = window.devicePixelRatio || 1, kind = c.dataset.icon, key = c.dataset.key;
      c.width = 22 * dpr; c.height = 14 * dpr; g.setTransform(dpr, 0, 0, dpr, 0, 0);
      if (kind === 'marker') { var st = CAT[key]; shape(g, st.shape, 11, 7, st.color, Math.min(4.5, markerRadius(st))); }
      else if (kind === 'band') { var b = BAND[key]; g.fillStyle = b.fill; g.fillRect(0, 0, 22, 14); if (b.hatch) { g.fillStyle = hatch(b.hatch); g.fillRect(0, 0, 22, 14); } g.strokeStyle = b.edge; g.lineWidth = 1.5; g.beginPath(); g.moveTo(1, 0); g.lineTo(1, 14); g.stroke(); }
      else if (kind === 'group') { g.strokeStyle = D.groupColors[Number(key)]; g.lineWidth = 2; g.beginPath(); g.moveTo(1, 7); g.lineTo(16, 7); g.stroke(); g.fillStyle = g.strokeStyle; g.beginPath(); g.moveTo(21, 7); g.lineTo(15, 3.5); g.lineTo(15, 10.5); g.fill(); }
      else if (kind === 'outcome') legendOutcome(g, key);
      else if (kind === 'story' && key === 'bar') { g.fillStyle = '#c53030'; g.fillRect(1, 5, 20, 4); }
      else if (kind === 'story') { g.strokeStyle = '#c53030'; g.lineWidth = 2; g.beginPath(); g.arc(11, 7, 5.5, 0, Math.PI * 2); g.stroke(); }
    }
  }
  function legendOutcome(g, key) {
    g.strokeStyle = '#4a5568'; g.lineWidth = 1.5;
    if (key === 'duplicate' || key === 'in-flight') g.setLineDash([4, 2]);
    g.beginPath(); g.moveTo(1, 11); g.lineTo(key === 'dropped' ? 15 : 19, key === 'dropped' ? 6 : 3); g.stroke(); g.setLineDash([]);
    if (key === 'dropped') { g.strokeStyle = '#e53e3e'; g.lineWidth = 2; g.beginPath(); g.moveTo(12, 3); g.lineTo(18, 9); g.moveTo(18, 3); g.lineTo(12, 9); g.stroke(); }
  }

  // ---- the handle a test (or a person at the console) uses ----
  function toClient(list, fn) { var r = cv.getBoundingClientRect(); return list.map(function (d) { return fn(d, r); }); }
  window.ksimView = {
    lanes: D.lanes.slice(),
    range: function () { return { start: v0, end: v1 }; },
    setRange: setRange,
    zoom: function (factor, clientX) { zoomAt(factor, clientX === undefined ? undefined : clientX - cv.getBoundingClientRect().left); },
    pan: panBy,
    fit: fit,
    draw: draw,
    counts: function () { return JSON.parse(JSON.stringify(counts)); },
    drawnArrows: function () {
      return toClient(drawn.arrows, function (g, r) {
        return { index: g.i, type: D.types[aType[g.i]], id: aId[g.i], from: D.lanes[aFrom[g.i]], to: D.lanes[aTo[g.i]], outcome: D.outcomes[aOut[g.i]],
          x1: r.left + g.x1, y1: r.top + g.y1, x2: r.left + g.x2, y2: r.top + g.y2 };
      });
    },
    drawnMarkers: function () { return toClient(drawn.markers, function (d, r) { var m = M[d.i]; return { index: d.i, kind: m[5], category: m[2], lane: D.lanes[m[1]], x: r.left + d.x, y: r.top + d.y }; }); },
    story: function () { return toClient(drawn.story, function (d, r) { return { index: d.index, text: d.text, labelled: d.labelled, rings: d.rings, x0: r.left + d.x0, x1: r.left + d.x1, y: r.top + d.y }; }); },
    clusterLabels: function () { return toClient(drawn.clusterBoxes, function (b, r) { return { lane: D.lanes[b.lane], t: b.t, lines: b.lines.slice(), x: r.left + b.x, y: r.top + b.y, w: b.w, h: b.h }; }); },
    storyRange: function (k) { return storyRange(S[k]); },
    drawnBands: function () { return toClient(drawn.bands, function (d, r) { return { index: d.i, kind: F[d.i].kind, label: F[d.i].label, x0: r.left + d.x0, x1: r.left + d.x1, y0: r.top + d.y0, y1: r.top + d.y1 }; }); }
  };

  legendIcons();
  pin(null);
  window.addEventListener('resize', resize);
  resize();
`;
