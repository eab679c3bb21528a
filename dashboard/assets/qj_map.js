/* Map drawing functions referenced from Python as {"variable": "qj.<name>"} (dash-leaflet functional props).
   Text from data is inserted with textContent, never as HTML. */
window.qj = Object.assign({}, window.qj, {
  /* Features drawn per layer, read by the status display and the browser tests. */
  rendered: {},
  count: function (layer) { window.qj.rendered[layer] = (window.qj.rendered[layer] || 0) + 1; },
  /* Point markers per layer, so that what is on the map now can be counted (layer switched off: 0). */
  markers: {},
  visibleCount: function (layer) {
    var markers = window.qj.markers[layer] || {};
    return Object.keys(markers).filter(function (k) { return !!markers[k]._map; }).length;
  },
  /* WGS-84 → GCJ-02, the same formula as geo/coords.py, for overlays on a GCJ-02 (Amap) basemap. */
  wgs84ToGcj02: function (lon, lat) {
    if (lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271) { return [lon, lat]; }
    var a = 6378245.0, ee = 0.00669342162296594323, PI = Math.PI, x = lon - 105.0, y = lat - 35.0;
    var common = (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    var dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x)) + common;
    dlat += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    dlat += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    var dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x)) + common;
    dlon += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    dlon += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    var radlat = lat / 180.0 * PI, magic = 1 - ee * Math.sin(radlat) * Math.sin(radlat), sm = Math.sqrt(magic);
    dlat = (dlat * 180.0) / ((a * (1 - ee)) / (magic * sm) * PI);
    dlon = (dlon * 180.0) / (a / sm * Math.cos(radlat) * PI);
    return [lon + dlon, lat + dlat];
  },
  displayLatLng: function (lon, lat, h) {
    if (h && h.crs === "GCJ02") { var g = window.qj.wgs84ToGcj02(lon, lat); return L.latLng(g[1], g[0]); }
    return L.latLng(lat, lon);
  },
  coordsToLatLng: function (coords, context) {
    return window.qj.displayLatLng(coords[0], coords[1], context && context.hideout);
  },
  textElement: function (text, className) {
    var el = document.createElement("span");
    if (className) { el.className = className; }
    el.textContent = text == null ? "" : String(text);
    return el;
  },
  label: function (properties, context) {
    var lang = (context && context.hideout && context.hideout.lang) || "zh";
    return lang === "en" && properties.name_en ? properties.name_en : properties.name;
  },
  boundaryStyle: function (feature) {
    if (feature.properties.role === "district") {
      return {color: "#9b2226", weight: 3, fill: false, interactive: false};
    }
    return {color: "#9aa5b1", weight: 1, fillColor: "#d5dae0", fillOpacity: 0.55, interactive: false};
  },
  boundaryOnEach: function (feature, layer, context) {
    window.qj.count(feature.properties.role === "district" ? "boundary" : "neighbours");
    layer.once("add", function () { window.qj.map = layer._map || window.qj.map; });
    if (feature.properties.role === "neighbour") {
      layer.bindTooltip(window.qj.textElement(window.qj.label(feature.properties, context)),
        {permanent: true, direction: "center", className: "qj-label neighbour"});
    }
  },
  /* Townships: plain outlines, or a choropleth when hideout carries values, breaks and colours. */
  townshipStyle: function (feature, context) {
    var h = (context && context.hideout) || {};
    var style = {color: "#5c677d", weight: 1, dashArray: "4 3", fillColor: "#ffffff", fillOpacity: 0.35};
    if (h.values && h.breaks && h.breaks.length) {
      var v = h.values[feature.properties.code];
      if (v === null || v === undefined) { style.fillColor = "#d9d9d9"; style.fillOpacity = 0.6; return style; }
      var i = 0;
      while (i < h.breaks.length - 1 && v > h.breaks[i]) { i++; }
      style.fillColor = h.colours[i];
      style.fillOpacity = 0.7;
    }
    return style;
  },
  townshipOnEach: function (feature, layer, context) {
    window.qj.count("townships");
    layer.bindTooltip(window.qj.textElement(window.qj.label(feature.properties, context)),
      {permanent: true, direction: "center", className: "qj-label township"});
  },
  /* One marker: a coloured badge with a one-character symbol (category, hazard type, resource kind). */
  markerFor: function (p, h) {
    /* Colours and glyphs come from services/vocabulary.py through the layer's hideout: declared once; the glyphs
       in the reader's language (services/text/display.py), the fallbacks here only for a hideout without them. */
    var c = h.colours || {}, g = h.glyphs || {}, glyph = "", colour = h.colour || "#555", size = 18, cls = "";
    if (p.layer === "enterprises") {
      glyph = g[p.sector] || h.glyph || "企"; colour = c[p.risk_level] || colour;
      size = p.risk_level === "重大" ? 22 : (p.risk_level === "较大" ? 20 : 17);
      /* An open hidden danger past its deadline (red ring) or a major one, 挂牌督办 (dashed dark ring). */
      cls = p.danger_flag === "overdue" ? " alert" : (p.danger_flag === "major" ? " major-danger" : "");
    } else if (p.layer === "hazards") {
      glyph = g[p.hazard_type] || h.glyph || "险"; colour = c[p.warning_level] || colour;
      size = Math.min(30, 15 + Math.sqrt(p.threatened_people || 0) * 1.2);
      /* Hazards without a warning shrink to dots at district zoom (CSS .qj-zoom-low), so warnings stand out. */
      cls = " hazard" + (p.warning_level === "无" ? " quiet" : "");
    } else if (p.layer === "shelters") {
      glyph = h.glyph || "避"; colour = c[p.occupancy_class] || colour;
      size = Math.min(30, 18 + Math.sqrt(p.capacity_people || 0) / 12); cls = " square";
    } else if (p.layer === "depots") {
      glyph = h.glyph || "储"; size = 22; cls = " square" + ((p.below_minimum || p.expired) ? " alert" : "");
    } else if (p.layer === "teams") {
      glyph = h.glyph || "队"; colour = c[p.status] || colour; size = 20; cls = " rounded";
    } else if (p.layer === "stations") {
      glyph = h.glyph || "测"; colour = c[p.status] || colour; size = 15;
    }
    /* A point placed from its address (村级 / 乡镇级, not 坐标) is hollow until someone moves it to its spot. */
    var approx = p.location_quality !== undefined && p.location_quality !== "坐标";
    var el = document.createElement("div");
    el.className = "qj-glyph" + cls + (approx ? " approx" : "");
    if (approx) {
      el.style.background = "#fff"; el.style.color = colour; el.style.borderColor = colour;
    } else {
      el.style.background = colour;
    }
    el.style.width = el.style.height = size + "px";
    el.style.lineHeight = size + "px";
    el.style.fontSize = Math.round(size * 0.62) + "px";
    el.textContent = glyph;
    return L.divIcon({html: el, className: "qj-marker qj-" + p.layer, iconSize: [size, size]});
  },
  pointToLayer: function (feature, latlng, context) {
    var p = feature.properties, h = context.hideout || {};
    window.qj.count(p.layer);
    if (h.crs === "GCJ02") {
      latlng = window.qj.displayLatLng(feature.geometry.coordinates[0], feature.geometry.coordinates[1], h);
    }
    var marker = L.marker(latlng, {icon: window.qj.markerFor(p, h), keyboard: false,
                                   riseOnHover: true, zIndexOffset: window.qj.clickRank(p)});
    (window.qj.markers[p.layer] = window.qj.markers[p.layer] || {})[p.id] = marker;
    marker.qjFeature = {layer: p.layer, id: p.id, name: p.name};
    marker.on("click", function () { window.qj.offerChooser(marker, h); });
    marker.bindTooltip(window.qj.textElement(p.name), {direction: "top", className: "qj-tip",
                                                       offset: [0, -8]});
    return marker;
  },
  /* Which symbol is on top where several overlap (Leaflet adds the screen y, a few thousand at most): enterprises and
     their clusters lowest, then stations, hazard points without a warning, shelters / depots / teams, and warned
     hazard points on top, red above orange above yellow above blue. */
  clickRank: function (p) {
    if (p.layer === "hazards") {
      var warned = {"蓝": 1, "黄": 2, "橙": 3, "红": 4}[p.warning_level] || 0;
      return warned ? 400000 + warned * 20000 : 200000;
    }
    return {stations: 100000, shelters: 300000, depots: 300000, teams: 300000}[p.layer] || 0;
  },
  /* A click on a symbol that overlaps others (on screen, layers switched on): a short chooser of all of them; the
     choice goes to the page through the map-pick store. The clicked one opens at once, as before. */
  overlapping: function (marker) {
    var a = marker._icon && marker._icon.getBoundingClientRect(), found = [];
    if (!a) { return found; }
    Object.keys(window.qj.markers).forEach(function (layer) {
      var group = window.qj.markers[layer];
      Object.keys(group).forEach(function (k) {
        var m = group[k], b = m._map && m._icon && m._icon.getBoundingClientRect();
        if (b && b.left < a.right && b.right > a.left && b.top < a.bottom && b.bottom > a.top) { found.push(m); }
      });
    });
    found.sort(function (x, y) { return y.options.zIndexOffset - x.options.zIndexOffset; });
    return found.slice(0, 8);
  },
  offerChooser: function (marker, h) {
    var found = window.qj.overlapping(marker), map = marker._map;
    if (found.length < 2 || !map) { return; }
    var box = document.createElement("div"), names = h.layer_names || {};
    box.className = "qj-chooser";
    box.appendChild(window.qj.textElement(h.pick_title || "", "qj-chooser-title"));
    found.forEach(function (m) {
      var f = m.qjFeature, button = document.createElement("button");
      button.type = "button";
      button.className = "qj-chooser-item";
      button.dataset.layer = f.layer;
      button.dataset.id = String(f.id);
      button.appendChild(window.qj.textElement(names[f.layer] || f.layer, "qj-chooser-layer"));
      button.appendChild(window.qj.textElement(f.name, "qj-chooser-name"));
      button.addEventListener("click", function (e) {
        L.DomEvent.stopPropagation(e);
        window.dash_clientside.set_props("map-pick", {data: {layer: f.layer, id: f.id, at: Date.now()}});
        window.qj.closeChooser();
      });
      box.appendChild(button);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.className = "qj-chooser-close";
    close.textContent = "×";
    close.addEventListener("click", function () { window.qj.closeChooser(); });
    box.appendChild(close);
    /* Over the map and over the details panel (a Leaflet popup would sit under the panel): beside the symbol. */
    window.qj.closeChooser();
    var wrap = map.getContainer().parentNode, at = map.latLngToContainerPoint(marker.getLatLng());
    wrap.appendChild(box);
    var left = Math.min(at.x + 16, wrap.clientWidth - box.offsetWidth - 8);
    var top = Math.max(8, Math.min(at.y - 12, wrap.clientHeight - box.offsetHeight - 8));
    box.style.left = Math.max(8, left) + "px";
    box.style.top = top + "px";
    window.setTimeout(function () {
      map.once("click movestart zoomstart", window.qj.closeChooser);
      document.addEventListener("mousedown", function away(e) {  /* a click anywhere else closes it */
        if (!box.contains(e.target)) { window.qj.closeChooser(); document.removeEventListener("mousedown", away); }
      });
    }, 0);
  },
  closeChooser: function () {
    document.querySelectorAll(".qj-chooser").forEach(function (el) { el.remove(); });
  },
  /* While an area is drawn the symbols let clicks through to the drawing tool (they rank above its own marker). */
  onDrawing: function (e) {
    e.target.getContainer().classList.toggle("qj-drawing", e.type === "draw:drawstart");
    window.qj.closeChooser();
  },
  /* Map events: mark the container with the zoom band, so CSS can simplify symbols when zoomed out. */
  onZoom: function (e) {
    var map = e.target, low = map.getZoom() < 12.5;
    window.qj.map = map;  /* the live map, for tools and tests that need screen positions */
    map.getContainer().classList.toggle("qj-zoom-low", low);
  },
  /* 修正位置: the draggable marker reports where it was dropped as its position, which the save callback reads. */
  relocateDragEnd: function (e, ctx) {
    var at = e.target.getLatLng();
    ctx.setProps({position: [at.lat, at.lng]});
  },
  /* Clusters: a neutral badge with the number of enterprises (colour must not read as a risk level). */
  clusterToLayer: function (feature, latlng, index, context) {
    var n = feature.properties.point_count;
    var size = n < 10 ? 28 : (n < 100 ? 34 : 42);
    var el = document.createElement("div");
    el.className = "qj-cluster";
    el.style.width = el.style.height = el.style.lineHeight = size + "px";
    el.textContent = String(n);
    return L.marker(latlng, {icon: L.divIcon({html: el, className: "qj-marker qj-cluster-icon",
                                              iconSize: [size, size]})});
  }
});
/* Evacuation flows: line width grows with the people moved. */
window.qj.flowStyle = function (feature) {
  var n = feature.properties.people || 1;
  return {color: "#1d3557", weight: Math.min(8, 1 + Math.sqrt(n) / 2), opacity: 0.7};
};
/* Evacuation plan: flows with the width the server gave (by people), casing-free, round ends. */
window.qj.planFlowStyle = function (feature) {
  return {color: "#1d4e89", weight: feature.properties.weight || 2, opacity: 0.75, lineCap: "round",
          lineJoin: "round"};
};
/* Evacuation plan points: shelters receiving people, hazard points housed / partly / not housed. */
window.qj.planColours = {shelter: ["#0b6e4f", "#2a9d8f"], housed: ["#1d4e89", "#8ecae6"],
                         partly: ["#b35c00", "#f4a261"], unmet: ["#9d0208", "#d62828"]};
window.qj.planPoint = function (feature, latlng) {
  var p = feature.properties, c = window.qj.planColours[p.kind] || ["#333", "#999"];
  return L.circleMarker(latlng, {radius: p.radius || 5, color: c[0], weight: p.kind === "shelter" ? 2 : 1.2,
                                 fillColor: c[1], fillOpacity: 0.9});
};
window.qj.planTip = function (feature, layer) {
  if (feature.properties.tip) {
    layer.bindTooltip(window.qj.textElement(feature.properties.tip), {className: "qj-tip", sticky: true});
  }
};
/* Roads: width and colour by class, drawn under the point symbols. */
window.qj.roadStyles = {
  motorway: {color: "#e07a1f", weight: 4}, trunk: {color: "#c0392b", weight: 3}, primary: {color: "#d35400", weight: 2.5},
  secondary: {color: "#d4a017", weight: 2}, tertiary: {color: "#b7950b", weight: 1.6},
  residential: {color: "#95a5a6", weight: 1.2}, track: {color: "#a0937d", weight: 1, dashArray: "3 3"}
};
window.qj.roadStyle = function (feature, context) {
  var s = window.qj.roadStyles[feature.properties["class"]] || {color: "#999", weight: 1};
  var muted = context && context.hideout && context.hideout.muted;
  return Object.assign({opacity: 0.85}, s, muted ? {color: "#9aa5b1", opacity: 0.45} : {});
};
window.qj.roadOnEach = function (feature, layer) {
  window.qj.count("roads");
  if (feature.properties.name) { layer.bindTooltip(window.qj.textElement(feature.properties.name), {sticky: true}); }
};
/* Road closures: thick red, dashed for areas. */
window.qj.blockStyle = function (feature) {
  return feature.geometry.type.indexOf("Polygon") >= 0
    ? {color: "#d62828", weight: 2, dashArray: "6 4", fillColor: "#d62828", fillOpacity: 0.12}
    : {color: "#d62828", weight: 7, opacity: 0.9};
};
/* A closure's badge (a no-entry sign at the middle of the closed road or area), sized to show at district zoom;
   its reason as a tooltip. */
window.qj.blockToLayer = function (feature, latlng) {
  var el = document.createElement("div");
  el.className = "qj-glyph qj-noentry";
  el.appendChild(document.createElement("span"));
  var marker = L.marker(latlng, {icon: L.divIcon({html: el, className: "qj-marker qj-blocks", iconSize: [20, 20]}),
                                 keyboard: false, zIndexOffset: 800});
  marker.bindTooltip(window.qj.textElement(feature.properties.reason), {direction: "top", className: "qj-tip"});
  return marker;
};
/* The township chosen (filter or search): a thick outline, no fill, not in the way of clicks. */
window.qj.outlineStyle = function () {
  return {color: "#1d3557", weight: 4, opacity: 0.95, fill: false, dashArray: null, interactive: false};
};
/* Isochrones: one distinct colour per band (hideout.colours by minutes, from Python), the nearest on top. */
window.qj.isochroneStyle = function (feature, context) {
  var m = feature.properties.minutes, colours = (context && context.hideout && context.hideout.colours) || {};
  var colour = colours[String(m)] || "#555555";
  return {color: colour, weight: 1.5, fillColor: colour, fillOpacity: 0.3, interactive: false};
};
/* Incidents on the duty map: red badges sized by level; the title as text. */
window.qj.incidentToLayer = function (feature, latlng) {
  var size = {"Ⅰ": 30, "Ⅱ": 26, "Ⅲ": 22, "Ⅳ": 18}[feature.properties.level] || 18;
  var el = document.createElement("div");
  el.className = "qj-glyph incident";
  el.style.background = "#d62828";
  el.style.width = el.style.height = el.style.lineHeight = size + "px";
  el.style.fontSize = Math.round(size * 0.6) + "px";
  el.textContent = "!";
  var marker = L.marker(latlng, {icon: L.divIcon({html: el, className: "qj-marker qj-incidents", iconSize: [size, size]})});
  marker.bindTooltip(window.qj.textElement(feature.properties.title), {direction: "top"});
  return marker;
};
/* 分析研判: a hexagon of the density surface, coloured by the class of hideout.measure (hideout.uppers are the
   classes' upper bounds); empty cells of that measure are not drawn. */
window.qj.hexStyle = function (feature, context) {
  var h = (context && context.hideout) || {}, v = feature.properties[h.measure] || 0;
  if (!v || !h.uppers || !h.uppers.length) { return {stroke: false, fillOpacity: 0}; }
  var i = 0;
  while (i < h.uppers.length - 1 && v > h.uppers[i]) { i++; }
  return {color: "#ffffff", weight: 0.5, fillColor: h.colours[i], fillOpacity: 0.75};
};
/* A proposed site of the siting analysis: a numbered star badge. */
window.qj.siteToLayer = function (feature, latlng) {
  var el = document.createElement("div");
  el.className = "qj-glyph site";
  el.textContent = String(feature.properties.order || "★");
  return L.marker(latlng, {icon: L.divIcon({html: el.outerHTML, className: "", iconSize: [24, 24]}),
                           title: feature.properties.name || ""});
};
/* A coverage gap: a demand point beyond the chosen minutes of its nearest facility (hazard points red, villages
   orange; sized by people). */
window.qj.gapToLayer = function (feature, latlng) {
  var p = feature.properties, village = p.kind === "village", r = 3 + Math.min(6, Math.sqrt(p.people || 0) / 6);
  var m = L.circleMarker(latlng, {radius: r, color: village ? "#7f3b08" : "#67000d", weight: 1,
                                  fillColor: village ? "#fdb863" : "#d62828", fillOpacity: village ? 0.7 : 0.85});
  m.bindTooltip(window.qj.textElement(p.label || p.name || ""), {direction: "top", className: "qj-tip"});
  return m;
};
/* 一张图: new details (another feature, a radius, a drawn area) start at the top of the panel, not where the
   previous ones were scrolled to. The body element outlives its contents; re-attached after a page change. */
window.qj.watchDetails = function () {
  var body = document.getElementById("map-details-body");
  if (!body || body === window.qj.watchedDetails) { return; }
  window.qj.watchedDetails = body;
  new MutationObserver(function () {
    if (body.parentNode) { body.parentNode.scrollTop = 0; }
  }).observe(body, {childList: true});
};
window.setInterval(window.qj.watchDetails, 1000);
/* 一张图 (live): a warning area in its warning colour (hideout-free: the colour comes with the feature). */
window.qj.warningAreaStyle = function (feature) {
  var c = feature.properties.colour || "#d62828";
  return {color: c, weight: 2, dashArray: "6 3", fillColor: c, fillOpacity: 0.18};
};
window.qj.warningAreaOnEach = function (feature, layer) {
  window.qj.count("warnings");
  layer.bindTooltip(window.qj.textElement(feature.properties.headline), {sticky: true, className: "qj-tip"});
};

/* The draw tool in the page's language. leaflet-draw reads L.drawLocal whenever it builds a toolbar, its actions
   or a tooltip; the texts come from the catalogue (window.qjDrawTexts, written into the page by dashboard/app.py),
   chosen by the page's ?lang= each time they are read, so a language switch without a reload is followed too. */
(function () {
  var cache = {};
  function language() {
    var m = /[?&]lang=(en|zh)\b/.exec(window.location.search);
    return m ? m[1] : "zh";
  }
  function merged(base, over) {
    var out = {}, k;
    for (k in base) { if (Object.prototype.hasOwnProperty.call(base, k)) { out[k] = base[k]; } }
    for (k in over) {
      if (Object.prototype.hasOwnProperty.call(over, k)) {
        out[k] = (over[k] && typeof over[k] === "object" && base && typeof base[k] === "object") ?
          merged(base[k], over[k]) : over[k];
      }
    }
    return out;
  }
  function install(leaflet) {
    if (!leaflet || leaflet.__qjDrawTexts) { return; }
    var stored = leaflet.drawLocal;
    Object.defineProperty(leaflet, "drawLocal", {
      configurable: true,
      get: function () {
        var lang = language(), texts = window.qjDrawTexts && window.qjDrawTexts[lang];
        if (!texts || !stored) { return stored; }
        if (!cache[lang] || cache[lang].base !== stored) { cache[lang] = {base: stored, value: merged(stored, texts)}; }
        return cache[lang].value;
      },
      set: function (value) { stored = value; }
    });
    leaflet.__qjDrawTexts = true;
  }
  if (window.L) {
    install(window.L);
  } else {
    var held;
    Object.defineProperty(window, "L", {configurable: true, get: function () { return held; },
                                        set: function (value) { held = value; install(value); }});
  }
})();
/* 一张图: the evacuation plan layer (/api/v1/evacuation/plans/<id>.geojson: flows and points in one collection),
   drawn as on the 疏散安置 page; flows carry the class qj-plan-flow, points qj-plan-point (counted by tests). */
window.qj.mapPlanStyle = function (feature) {
  if (feature.properties.kind !== "flow") { return {}; }
  return Object.assign(window.qj.planFlowStyle(feature), {className: "qj-plan-flow"});
};
window.qj.mapPlanPoint = function (feature, latlng) {
  var marker = window.qj.planPoint(feature, latlng);
  marker.options.className = "qj-plan-point qj-plan-" + feature.properties.kind;
  return marker;
};
window.qj.mapPlanTip = function (feature, layer, context) {
  var p = feature.properties, en = context && context.hideout && context.hideout.lang === "en";
  var tip = en && p.tip_en ? p.tip_en : p.tip;
  if (tip) { layer.bindTooltip(window.qj.textElement(tip), {className: "qj-tip", sticky: true}); }
};
