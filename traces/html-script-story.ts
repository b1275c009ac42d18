// The page script, part 5: the story of each lost write (story.ts) drawn over the diagram — the
// acknowledgements of the lost offsets as a red bar on the producer's lane, labelled; red rings
// on the markers that explain the loss (the election, the new leader without those offsets, the
// truncations that cut them), joined by dashed lines; and the same story told in the side panel,
// each entry a link that zooms to it.
// Browser code inside a string: the determinism rules of traces/ do not apply to it.
export const SCRIPT_STORY = String.raw`
  // ---- the story of lost writes ----
  var S = D.story || [];
  var STORY_RED = '#c53030';

  // From the last of the lost acks to the last truncation, with room on both sides.
  function storyRange(s) {
    var span = Math.max(s.end - s.ackEnd, 200);
    return [s.ackEnd - span * 0.6, s.end + span * 0.3];
  }

  function ringAt(i) {
    if (i < 0) return null;
    var p = markerPos(i);
    if (p.x < -10 || p.x > W + 10) return null;
    ctx.strokeStyle = STORY_RED; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(p.x, p.y, 9, 0, Math.PI * 2); ctx.stroke(); ctx.lineWidth = 1;
    return p;
  }

  function link(a, b) {
    if (!a || !b) return;
    ctx.strokeStyle = STORY_RED; ctx.globalAlpha = 0.75; ctx.lineWidth = 1.6; ctx.setLineDash([5, 4]);
    ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
    ctx.setLineDash([]); ctx.globalAlpha = 1; ctx.lineWidth = 1;
  }

  function storyLabel(text, px, py, rows) {
    ctx.font = '700 11px system-ui, "DejaVu Sans", sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
    var w = ctx.measureText(text).width + 8, lx = Math.max(2, Math.min(px, W - w - 2));
    for (var r = 0; r < rows.length; r++) if (lx < rows[r][1] && lx + w > rows[r][0] && Math.abs(py - rows[r][2]) < 12) return false;
    ctx.fillStyle = 'rgba(255,245,245,0.95)'; ctx.fillRect(lx, py - 7, w, 14);
    ctx.strokeStyle = STORY_RED; ctx.strokeRect(lx + 0.5, py - 6.5, w - 1, 13);
    ctx.fillStyle = STORY_RED; ctx.fillText(text, lx + 4, py);
    rows.push([lx, lx + w, py]);
    return true;
  }

  function rangeText(s) { return 'p' + s.partition + ' ' + (s.to - s.from === 1 ? '@' + s.from : '@' + s.from + '–' + (s.to - 1)); }

  // Losses of one producer made by one election (a failover loses offsets of several partitions
  // at once) share one label: their bars are stacked thin under the producer's line.
  function storyGroups() {
    var groups = [], byKey = {};
    for (var k = 0; k < S.length; k++) {
      var s = S[k];
      if (s.end < v0 || s.ackStart > v1) continue;
      var key = s.producers[0] + ' ' + (s.electionMarker >= 0 ? M[s.electionMarker][0] : s.end);
      if (!byKey[key]) { byKey[key] = { lane: s.producers[0], members: [] }; groups.push(byKey[key]); }
      byKey[key].members.push(k);
    }
    groups.forEach(function (g) { g.members.sort(function (a, b) { return S[a].partition - S[b].partition || a - b; }); });
    return groups;
  }

  function drawLinks(s, end) {
    var election = ringAt(s.electionMarker), leader = ringAt(s.leaderMarker), rings = [election, leader];
    link(end, election || leader);
    if (election) link(election, leader);
    for (var t = 0; t < s.truncationMarkers.length; t++) { var r = ringAt(s.truncationMarkers[t]); rings.push(r); link(leader || election || end, r); }
    return rings.filter(Boolean).length;
  }

  function drawStory() {
    drawn.story = [];
    var rows = [], groups = storyGroups(), perLane = {};
    for (var g = 0; g < groups.length; g++) {
      var group = groups[g], lane = group.lane, base = perLane[lane] || 0, total = 0, ranges = [], unclean = false, left = W;
      perLane[lane] = base + group.members.length;
      for (var m = 0; m < group.members.length; m++) {
        var k = group.members[m], s = S[k], y = laneY(lane) + 6 + ((base + m) % 6) * 4;
        var x0 = Math.max(-2, x(s.ackStart)), x1 = Math.min(W + 2, Math.max(x(s.ackEnd), x0 + 3));
        ctx.fillStyle = STORY_RED; ctx.globalAlpha = 0.85; ctx.fillRect(x0, y - 1.5, x1 - x0, 3); ctx.globalAlpha = 1;
        var rings = drawLinks(s, { x: x1, y: y });
        total += s.offsets; ranges.push(rangeText(s)); unclean = unclean || s.how === 'unclean'; left = Math.min(left, x0);
        drawn.story.push({ index: k, x0: x0, x1: x1, y: y, rings: rings, group: g });
      }
      var text = 'lost: ' + ranges.join(', ') + ' (' + num(total) + ' acked)' + (unclean ? ' · unclean election' : '');
      var labelled = storyLabel(text, Math.max(left, 0) + 2, laneY(lane) + 6 + Math.min(6, base + group.members.length) * 4 + 9, rows);
      for (var d = drawn.story.length - group.members.length; d < drawn.story.length; d++) { drawn.story[d].text = text; drawn.story[d].labelled = labelled; }
    }
    counts.story = drawn.story.length;
  }

  function storyHtml() {
    if (S.length === 0) return '';
    var items = S.map(function (s, k) { return '<li><button type="button" data-story="' + k + '">' + esc(s.sentence) + '</button></li>'; }).join('');
    return '<h2 class="story">Lost acknowledged writes (' + S.length + ')</h2><p class="hint">Acknowledged offsets the new leader does not have: red bar = their acks, rings = the election, the new leader and the truncations. Click one to zoom to it.</p><ol class="story">' + items + '</ol>';
  }

  panel.addEventListener('click', function (event) {
    var target = event.target.closest ? event.target.closest('[data-story]') : null;
    if (!target) return;
    event.preventDefault();
    var r = storyRange(S[Number(target.dataset.story)]);
    setRange(r[0], r[1]);
  });
`;
