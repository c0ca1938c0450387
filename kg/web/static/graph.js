// The entity's neighbourhood as a vis-network graph: the entity and those it shares an
// article or an event with (GET /api/graph?iri=...). Double-click a node to add its own
// neighbours. Labels are set as text by vis-network; nothing here writes HTML.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || typeof vis === "undefined") { return; }
  var api = box.getAttribute("data-api");
  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);
  var expanded = {};
  var colours = {person: "#f6b756", org: "#7fb0ea", place: "#7fcf7f", group: "#d99bd5", product: "#ffd54f",
                 "named-event": "#b39ddb", other: "#cccccc"};
  var network = new vis.Network(box, {nodes: nodes, edges: edges}, {
    nodes: {shape: "dot", size: 14, font: {size: 14}},
    edges: {color: {color: "#9aa5b1", highlight: "#1f5fa8"}, scaling: {min: 1, max: 6}, smooth: false},
    physics: {stabilization: {iterations: 150}, barnesHut: {springLength: 120}},
    interaction: {hover: true, tooltipDelay: 150}
  });
  // fit once the layout has settled, and say so (tests wait for it before a screenshot)
  function settled() { network.fit(); box.setAttribute("data-stable", "1"); }
  network.on("stabilizationIterationsDone", settled);
  network.on("stabilized", settled);
  window.kgGraph = {nodes: nodes, edges: edges, network: network, expand: expand};

  function edgeId(a, b) { return a < b ? a + "\u0000" + b : b + "\u0000" + a; }

  function expand(iri) {
    if (expanded[iri]) { return Promise.resolve(); }
    expanded[iri] = true;
    return fetch(api + "?iri=" + encodeURIComponent(iri), {headers: {Accept: "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error("graph: HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        data.nodes.forEach(function (n) {
          if (!nodes.get(n.id)) {
            nodes.add({id: n.id, label: n.label, title: n.label + " (" + n.group + ")", url: n.url,
                       color: colours[n.group] || colours.other});
          }
        });
        data.edges.forEach(function (e) {
          var id = edgeId(e.from, e.to);
          if (!edges.get(id)) {
            edges.add({id: id, from: e.from, to: e.to, title: e.title, value: e.value, dashes: e.dashes});
          }
        });
        var centre = nodes.get(iri);
        if (centre) { nodes.update({id: iri, borderWidth: 3}); }
        box.setAttribute("data-loaded", String(nodes.length));
        network.fit();
      });
  }

  var open = document.getElementById("graph-open");
  network.on("selectNode", function (params) {
    var n = nodes.get(params.nodes[0]);
    if (!n || !open) { return; }
    open.textContent = "";
    var a = document.createElement("a");
    a.href = n.url;
    a.textContent = "open " + n.label;
    open.appendChild(a);
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) { expand(params.nodes[0]); }
  });
  expand(box.getAttribute("data-iri")).catch(function (err) {
    box.setAttribute("data-error", String(err));
  });
}());
