/* Map styling functions referenced from Python as {"variable": "qj.<name>"} (dash-leaflet functional props).
   Text from data is inserted with textContent, never as HTML. */
window.qj = Object.assign({}, window.qj, {
  /* Features drawn per layer, read by the status display and the browser tests. */
  rendered: {},
  count: function (layer) { window.qj.rendered[layer] = (window.qj.rendered[layer] || 0) + 1; },
  /* Point markers per layer, so that what is on the map now can be counted (layer switched off: 0). */
  markers: {},
  visibleCount: function (layer) {
    return (window.qj.markers[layer] || []).filter(function (m) { return !!m._map; }).length;
  },
  textElement: function (text, className) {
    var el = document.createElement("span");
    if (className) { el.className = className; }
    el.textContent = text == null ? "" : String(text);
    return el;
  },
  boundaryStyle: function (feature) {
    if (feature.properties.role === "district") {
      return {color: "#9b2226", weight: 3, fill: false, interactive: false};
    }
    return {color: "#9aa5b1", weight: 1, fillColor: "#d5dae0", fillOpacity: 0.55, interactive: false};
  },
  label: function (properties, context) {
    var lang = (context && context.hideout && context.hideout.lang) || "zh";
    return lang === "en" && properties.name_en ? properties.name_en : properties.name;
  },
  boundaryOnEach: function (feature, layer, context) {
    window.qj.count(feature.properties.role === "district" ? "boundary" : "neighbours");
    if (feature.properties.role === "neighbour") {
      layer.bindTooltip(window.qj.textElement(window.qj.label(feature.properties, context)),
        {permanent: true, direction: "center", className: "qj-label neighbour"});
    }
  },
  townshipStyle: function (feature) {
    return {color: "#5c677d", weight: 1, dashArray: "4 3", fillColor: "#ffffff", fillOpacity: 0.35};
  },
  townshipOnEach: function (feature, layer, context) {
    window.qj.count("townships");
    layer.bindTooltip(window.qj.textElement(window.qj.label(feature.properties, context)),
      {permanent: true, direction: "center", className: "qj-label township"});
  },
  pointToLayer: function (feature, latlng, context) {
    var p = feature.properties, h = context.hideout || {};
    window.qj.count(p.layer);
    var colours = h.colours || {};
    var style = {radius: 4, weight: 1, color: "#ffffff", fillOpacity: 0.9, fillColor: h.colour || "#555"};
    if (p.layer === "enterprises") {
      style.fillColor = colours[p.risk_level] || style.fillColor;
      style.radius = p.risk_level === "重大" ? 6 : (p.risk_level === "较大" ? 5 : 3.5);
    } else if (p.layer === "hazards") {
      style.fillColor = colours[p.warning_level] || style.fillColor;
      style.color = "#3d2b1f";
      style.radius = Math.min(11, 3 + Math.sqrt(p.threatened_people || 0) / 2);
    } else if (p.layer === "shelters") {
      style.radius = 7; style.color = "#0b6e4f"; style.weight = 2;
    } else if (p.layer === "depots") {
      style.radius = 7; style.color = "#3a0ca3"; style.weight = 2;
    } else if (p.layer === "teams") {
      style.radius = 6; style.color = "#7b2cbf"; style.weight = 2;
    } else if (p.layer === "stations") {
      style.radius = 3; style.color = "#014f86";
    }
    var marker = L.circleMarker(latlng, style);
    (window.qj.markers[p.layer] = window.qj.markers[p.layer] || []).push(marker);
    marker.bindTooltip(window.qj.textElement(p.name), {direction: "top", className: "qj-tip"});
    return marker;
  }
});
