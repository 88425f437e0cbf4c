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
  data.edges.forEach(function (e) {
    var lines = [e.from + " → " + e.to + ": " + e.kind + " " + Number(e.score).toFixed(3) +
                 (e.status ? ", " + e.status : "")];
    if (e.evidence) lines.push("Why: " + e.evidence);
    if (e.line) lines.push("Source: " + e.line);
    e.title = textBlock(lines);
  });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var shownCategories = {}, shownKinds = {};
  document.querySelectorAll("input[name=category]").forEach(function (b) { shownCategories[b.value] = true; });
  document.querySelectorAll("input[name=kind]").forEach(function (b) { shownKinds[b.value] = true; });
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return shownCategories[n.category] !== false; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return shownKinds[e.kind] !== false; } });
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  var state = { network: network, nodes: nodes, edges: edges, ready: false, highlighted: null,
                errors: [] };
  window.alignMap = state;

  function finish() {
    if (state.ready) return;
    network.setOptions({ physics: false });
    state.ready = true;
    document.body.setAttribute("data-ready", "true");
    statusEl.textContent = "Map ready: " + nodeView.length + " nodes, " + edgeView.length + " links.";
  }
  network.once("stabilizationIterationsDone", finish);
  network.once("stabilized", finish);
  setTimeout(finish, 8000);

  state.drawnCounts = function () {
    var bodyNodes = network.body.nodeIndices.length;
    var bodyEdges = network.body.edgeIndices.length;
    return { nodes: bodyNodes, edges: bodyEdges };
  };

  function showDetails(id) {
    var n = nodes.get(id);
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
    var linked = edges.get({ filter: function (e) { return e.from === id || e.to === id; } });
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
    showDetails(id);
    statusEl.textContent = id + " selected: " + (Object.keys(keep).length - 1) + " neighbours highlighted.";
  }
  function clearHighlight() {
    nodes.update(nodes.get().map(function (n) { return { id: n.id, opacity: 1 }; }));
    state.highlighted = null;
    network.unselectAll();
  }
  state.highlight = highlight;
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0]); } else { clearHighlight(); }
  });

  var search = document.getElementById("search");
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    if (!q) { statusEl.textContent = ""; return; }
    var hits = nodeView.get({ filter: function (n) {
      return n.id.toLowerCase().indexOf(q) >= 0 || String(n.full).toLowerCase().indexOf(q) >= 0;
    } });
    if (!hits.length) { statusEl.textContent = "No node matches “" + search.value + "”."; return; }
    hits.sort(function (a, b) { return (a.id.toLowerCase() === q ? -1 : 0) - (b.id.toLowerCase() === q ? -1 : 0); });
    network.selectNodes([hits[0].id]);
    network.focus(hits[0].id, { scale: 1.2, animation: false });
    highlight(hits[0].id);
    statusEl.textContent = hits.length + " match" + (hits.length > 1 ? "es" : "") + "; showing " + hits[0].id + ".";
  });

  document.querySelectorAll("input[name=category]").forEach(function (b) {
    b.addEventListener("change", function () { shownCategories[b.value] = b.checked; nodeView.refresh(); });
  });
  document.querySelectorAll("input[name=kind]").forEach(function (b) {
    b.addEventListener("change", function () { shownKinds[b.value] = b.checked; edgeView.refresh(); });
  });
  var layoutButton = document.getElementById("layout");
  layoutButton.addEventListener("click", function () {
    var tree = layoutButton.getAttribute("aria-pressed") !== "true";
    layoutButton.setAttribute("aria-pressed", String(tree));
    network.setOptions({ layout: tree ? { hierarchical: { enabled: true, direction: "DU",
      sortMethod: "directed", shakeTowards: "roots" } } : { hierarchical: { enabled: false } },
      physics: false });
    network.fit();
  });
  document.getElementById("fit").addEventListener("click", function () { network.fit(); });
  document.getElementById("clear").addEventListener("click", clearHighlight);
})();
