/* 风险感知: the pulsing ring of a hazard point with an open warning proposal (dashboard/components/map_proposals.py),
   in the proposed colour (--qj-pulse); it takes no clicks, so the point under it opens its details as before. */
window.qj = Object.assign(window.qj || {}, {
  proposalToLayer: function (feature, latlng) {
    var p = feature.properties;
    var el = document.createElement("div");
    el.className = "qj-pulse qj-pulse-" + p.level;
    el.style.setProperty("--qj-pulse", p.colour);
    el.setAttribute("data-hazard", String(p.hazard_id));
    el.title = p.tip || "";
    return L.marker(latlng, {icon: L.divIcon({html: el, className: "qj-marker qj-proposals", iconSize: [40, 40]}),
                             interactive: false, keyboard: false, zIndexOffset: -500});
  }
});
