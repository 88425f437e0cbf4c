(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var container = document.getElementById("network");
  var statusEl = document.getElementById("status");
  var panel = document.getElementById("panel");

  function textBlock(lines) {
    var div = document.createElement("div");
    lines.forEach(function (line) {
      var p = document.createElement("div");
      p.textContent = line;
      div.appendChild(p);
    });
    return div;
  }
  data.nodes.forEach(function (n) {
    n.title = textBlock([n.id + " (" + n.type + ")", n.text, "Source: " + n.line]);
  });
  data.members.forEach(function (n) {
    n.title = textBlock([n.id + " (" + n.type + ")", n.text, "Source: " + n.line]);
  });
  function edgeTitle(e, count) {
    var lines = [e.from + " → " + e.to + ": " + e.kind +
                 (count > 1 ? " (" + count + " links)" : " " + Number(e.score).toFixed(3) +
                  (e.status ? ", " + e.status : ""))];
    if (count === 1 && e.evidence) lines.push("Why: " + e.evidence);
    if (count === 1 && e.line) lines.push("Source: " + e.line);
    return textBlock(lines);
  }
  data.edges.forEach(function (e) { e.title = edgeTitle(e, 1); });
  // A grouped map: a member of a closed group is drawn as its group, and its links from the
  // group, once per pair and kind. Opening a group shows its members in their column, each
  // group's members stacked and centred on it, pushed apart where two open groups meet.
  var memberOf = {}, membersOf = {}, open = {};
  data.members.forEach(function (m) {
    memberOf[m.id] = m.inside;
    (membersOf[m.inside] = membersOf[m.inside] || []).push(m);
  });
  function shownAs(id) { var g = memberOf[id]; return g && !open[g] ? g : id; }
  function drawnEdges() {
    if (!data.grouped) return data.edges;
    var seen = {}, out = [];
    data.edges.forEach(function (e) {
      var a = shownAs(e.from), b = shownAs(e.to);
      if (a === b) return;
      if (a === e.from && b === e.to) { out.push(e); return; }
      var key = a + "|" + b + "|" + e.kind;
      if (seen[key]) { seen[key].count += 1; seen[key].title = edgeTitle(seen[key], seen[key].count); return; }
      seen[key] = Object.assign({}, e, { id: key, from: a, to: b, count: 1, title: e.title });
      out.push(seen[key]);
    });
    return out;
  }
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(drawnEdges());
  var shownCategories = {}, shownKinds = {};
  document.querySelectorAll("input[name=category]").forEach(function (b) { shownCategories[b.value] = true; });
  document.querySelectorAll("input[name=kind]").forEach(function (b) { shownKinds[b.value] = true; });
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return shownCategories[n.category] !== false; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return shownKinds[e.kind] !== false; } });
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  var state = { network: network, nodes: nodes, edges: edges, ready: false, highlighted: null,
                errors: [], matches: [], match: -1, open: open };
  window.alignMap = state;
  // the focusable drawing (vis-network's own frame): named, and its keys described
  var frame = container.querySelector(".vis-network") || container;
  frame.setAttribute("tabindex", "0");
  frame.setAttribute("role", "application");
  frame.setAttribute("aria-roledescription", "linkage map");
  frame.setAttribute("aria-label", "Linkage map: " + (data.nodes.length + data.members.length) +
                     " nodes, " + data.edges.length + " links" +
                     (data.focus ? "; the focus is " + data.focus : ""));
  frame.setAttribute("aria-describedby", "network-keys");
  state.frame = frame;

  // the places are final (computed when the map was written): the map is ready once drawn
  function finish() {
    if (state.ready) return;
    state.ready = true;
    document.body.setAttribute("data-ready", "true");
    statusEl.textContent = "Map ready: " + nodeView.length + " nodes, " + edgeView.length + " links.";
  }
  network.once("afterDrawing", finish);
  network.fit({ animation: false });

  function placeOpenGroups() {
    var columns = {};
    Object.keys(open).forEach(function (g) {
      if (!open[g]) return;
      var ms = membersOf[g], at = network.getPosition(g);
      var lead = ms[0].dy - ms[0].size;  // the block's top, less the group's y
      var h = ms.reduce(function (sum, m) { return sum + m.room; }, 0);
      var x = ms[0].x;
      (columns[x] = columns[x] || []).push({ g: g, want: at.y + lead, lead: lead, h: h, ms: ms });
    });
    var moves = [];
    Object.keys(columns).forEach(function (x) {
      var blocks = columns[x].sort(function (a, b) { return a.want - b.want || (a.g < b.g ? -1 : 1); });
      var bottom = -Infinity;
      blocks.forEach(function (b) {
        var top = Math.max(b.want, bottom);
        b.ms.forEach(function (m) { moves.push({ id: m.id, x: m.x, y: top + m.dy - b.lead }); });
        bottom = top + b.h;
      });
    });
    nodes.update(moves);
  }
  function toggleGroup(g) {
    if (!membersOf[g]) return false;
    open[g] = !open[g];
    if (open[g]) {
      nodes.add(membersOf[g].map(function (m) { return Object.assign({}, m, { y: 0 }); }));
    } else {
      nodes.remove(membersOf[g].map(function (m) { return m.id; }));
    }
    var base = nodes.get(g);
    nodes.update({ id: g, label: base.label.replace(/\[[+−]/, open[g] ? "[−" : "[+") });
    placeOpenGroups();
    edges.clear();
    edges.add(drawnEdges());
    statusEl.textContent = g + (open[g] ? " opened: " : " closed: ") + membersOf[g].length + " inside.";
    return true;
  }
  state.toggleGroup = toggleGroup;

  state.drawnCounts = function () {
    var bodyNodes = network.body.nodeIndices.length;
    var bodyEdges = network.body.edgeIndices.length;
    return { nodes: bodyNodes, edges: bodyEdges };
  };

  function showDetails(id) {
    var n = nodes.get(id);
    if (!n) return;
    panel.innerHTML = "";
    var h = document.createElement("h2");
    h.textContent = n.id + " (" + n.type + ")";
    panel.appendChild(h);
    var p = document.createElement("p");
    p.textContent = n.text;
    panel.appendChild(p);
    var src = document.createElement("p");
    src.textContent = "Source: " + n.line;
    panel.appendChild(src);
    if (membersOf[id]) {
      var g = document.createElement("p");
      g.textContent = membersOf[id].length + " inside (" + (open[id] ? "shown" : "hidden") +
        "): select it again, or press “Open or close group”, to " + (open[id] ? "hide" : "show") + " them.";
      panel.appendChild(g);
    }
    var linked = data.edges.filter(function (e) { return e.from === id || e.to === id; });
    var h3 = document.createElement("h2");
    h3.textContent = linked.length + " links";
    panel.appendChild(h3);
    var ul = document.createElement("ul");
    linked.forEach(function (e) {
      var li = document.createElement("li");
      var other = e.from === id ? e.to : e.from;
      li.textContent = (e.from === id ? "→ " : "← ") + other + ": " + e.kind +
        (e.status === "suggested" ? " (suggested)" : "") +
        (e.evidence ? " — " + e.evidence : "");
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }

  function highlight(id) {
    var keep = {};
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    nodes.update(nodes.get().map(function (n) { return { id: n.id, opacity: keep[n.id] ? 1 : 0.15 }; }));
    state.highlighted = id;
    centreButton.disabled = false;
    groupButton.disabled = !membersOf[id];
    showDetails(id);
    statusEl.textContent = id + " selected: " + (Object.keys(keep).length - 1) + " neighbours highlighted.";
  }
  function clearHighlight() {
    nodes.update(nodes.get().map(function (n) { return { id: n.id, opacity: 1 }; }));
    state.highlighted = null;
    centreButton.disabled = true;
    groupButton.disabled = true;
    network.unselectAll();
  }
  state.highlight = highlight;
  network.on("click", function (params) {
    if (params.nodes.length) {
      if (toggleGroup(params.nodes[0]) && !open[params.nodes[0]]) { clearHighlight(); return; }
      highlight(params.nodes[0]);
    } else { clearHighlight(); }
  });

  var search = document.getElementById("search");
  var prevButton = document.getElementById("prev");
  var nextButton = document.getElementById("next");
  var centreButton = document.getElementById("centre");
  var groupButton = document.getElementById("group");
  groupButton.hidden = !data.grouped;
  groupButton.addEventListener("click", function () {
    var id = state.highlighted;
    if (id && toggleGroup(id)) highlight(id);
  });
  function textField(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable ||
      (tag === "INPUT" && !/^(checkbox|radio|button|submit|reset|range|color|file)$/i.test(el.type));
  }
  state.textField = textField;
  function showMatch(k) {
    var hits = state.matches;
    if (!hits.length) return;
    state.match = (k + hits.length) % hits.length;
    var id = hits[state.match];
    if (memberOf[id] && !open[memberOf[id]]) toggleGroup(memberOf[id]);
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    highlight(id);
    statusEl.textContent = hits.length + " match" + (hits.length > 1 ? "es" : "") + "; showing " +
      id + (hits.length > 1 ? " (" + (state.match + 1) + " of " + hits.length + ")" : "") + ".";
  }
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    state.matches = [];
    state.match = -1;
    prevButton.disabled = nextButton.disabled = true;
    if (!q) { statusEl.textContent = ""; return; }
    var hits = data.nodes.concat(data.members).filter(function (n) {
      return shownCategories[n.category] !== false &&
        (n.id.toLowerCase().indexOf(q) >= 0 || String(n.full).toLowerCase().indexOf(q) >= 0);
    });
    if (!hits.length) { statusEl.textContent = "No node matches “" + search.value + "”."; return; }
    // the node whose ID is the query first, then IDs that contain it, then text, each in order
    function rank(n) { var id = n.id.toLowerCase(); return id === q ? 0 : id.indexOf(q) >= 0 ? 1 : 2; }
    hits.sort(function (a, b) { return rank(a) - rank(b); });
    state.matches = hits.map(function (n) { return n.id; });
    prevButton.disabled = nextButton.disabled = hits.length < 2;
    showMatch(0);
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      ev.preventDefault();
      if (!state.matches.length) { runSearch(); return; }
      showMatch(state.match + (ev.shiftKey ? -1 : 1));
    } else if (ev.key === "Escape" && search.value) {
      ev.preventDefault();
      search.value = "";
      runSearch();
      clearHighlight();
    }
  });
  prevButton.addEventListener("click", function () { showMatch(state.match - 1); });
  nextButton.addEventListener("click", function () { showMatch(state.match + 1); });
  centreButton.addEventListener("click", function () {
    if (state.highlighted) network.focus(state.highlighted, { scale: 1.2, animation: false });
  });
  // "/" goes to the search box from anywhere but a text field
  window.addEventListener("keydown", function (ev) {
    if (ev.key === "/" && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !textField(ev.target)) {
      ev.preventDefault();
      search.focus();
      search.select();
    }
  });

  document.querySelectorAll("input[name=category]").forEach(function (b) {
    b.addEventListener("change", function () { shownCategories[b.value] = b.checked; nodeView.refresh(); });
  });
  document.querySelectorAll("input[name=kind]").forEach(function (b) {
    b.addEventListener("change", function () { shownKinds[b.value] = b.checked; edgeView.refresh(); });
  });
  // printing shows the table view opened (the picture is the SVG copy of the map)
  var tableView = document.getElementById("table-view");
  var wasOpen = null;
  window.addEventListener("beforeprint", function () { wasOpen = tableView.open; tableView.open = true; });
  window.addEventListener("afterprint", function () { if (wasOpen !== null) tableView.open = wasOpen; });
  document.getElementById("fit").addEventListener("click", function () { network.fit(); });
  document.getElementById("clear").addEventListener("click", clearHighlight);
})();
