/* The phone page (/m): tabs, a tap-to-locate map, and the JSON API calls of its four forms.
 * Every text comes from the page (#m-data, rendered from the catalogue); every write carries the session's
 * CSRF token in X-CSRFToken. No framework: Leaflet (vendored) draws the map. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("m-data").textContent);
  var lang = data.lang;
  document.documentElement.className += " js";

  function fmt(key, params) {
    return String(data.texts[key] || key).replace(/\{(\w+)\}/g, function (all, name) {
      return params && params[name] !== undefined ? params[name] : all;
    });
  }
  function csrf() {
    var cookie = document.cookie.match(/(?:^|; )_csrf_token=([^;]+)/);
    return data.csrf || (cookie ? decodeURIComponent(cookie[1]) : "");
  }
  function reasonOf(body) {
    return (body && (lang === "en" ? body.reason_en : body.reason)) || fmt("field.js_network");
  }
  /* fetch with the session cookie and the CSRF header; rejects with the API's reason in the page's language */
  function api(method, url, payload) {
    var options = {method: method, credentials: "same-origin",
                   headers: {"X-CSRFToken": csrf(), "Accept": "application/json"}};
    if (payload instanceof FormData) {
      options.body = payload;
    } else if (payload !== undefined) {
      options.body = JSON.stringify(payload);
      options.headers["Content-Type"] = "application/json";
    }
    return fetch(url, options).then(function (response) {
      if (response.status === 401) { throw new Error(fmt("field.js_signed_out")); }
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw new Error(reasonOf(body)); }
        return body;
      });
    }, function () { throw new Error(fmt("field.js_network")); });
  }
  function say(element, text, ok) {
    element.textContent = text;
    element.className = "m-msg" + (ok === true ? " ok" : ok === false ? " bad" : "");
  }
  function busy(form, on) {
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = on; });
  }

  /* tabs: one section at a time; the address keeps the tab (#report …) so a reload stays there */
  var tabs = document.querySelectorAll(".m-tab");
  function show(key) {
    Array.prototype.forEach.call(tabs, function (tab) {
      tab.classList.toggle("active", tab.getAttribute("data-tab") === key);
    });
    Array.prototype.forEach.call(document.querySelectorAll(".m-panel"), function (panel) {
      panel.classList.toggle("active", panel.id === "panel-" + key);
    });
    if (key === "report") { initMap(); map && map.invalidateSize(); }
  }
  function firstTab() {
    var asked = location.hash.replace("#", "");
    if (asked && document.getElementById("panel-" + asked)) { return asked; }
    var badge = document.getElementById("warning-badge");
    if (badge && badge.textContent !== "0") { return "warnings"; }
    return tabs.length ? tabs[0].getAttribute("data-tab") : "";
  }
  Array.prototype.forEach.call(tabs, function (tab) {
    tab.addEventListener("click", function (event) {
      event.preventDefault();
      var key = tab.getAttribute("data-tab");
      history.replaceState(null, "", location.pathname + location.search + "#" + key);
      show(key);
    });
  });

  /* the map: the township's outline and roads, its hazard points and shelters; a tap sets the place */
  var map = null, marker = null, place = null;
  var mapElement = document.getElementById("report-map");
  var where = document.getElementById("report-where");
  function setPlace(lat, lon, text) {
    place = {lat: lat, lon: lon};
    where.textContent = text;
    if (!map) { return; }
    if (marker) { marker.setLatLng([lat, lon]); } else {
      marker = L.circleMarker([lat, lon], {radius: 9, color: "#fff", weight: 3, fillColor: "#c62828",
                                           fillOpacity: 1, interactive: false}).addTo(map);
    }
  }
  function initMap() {  /* when its tab is first shown: Leaflet needs a container with a size */
    if (map || !mapElement || !window.L) { return; }
    map = L.map(mapElement, {attributionControl: false, zoomSnap: 0.5});
    if (data.basemap) {
      L.tileLayer(data.basemap.url, {maxZoom: data.basemap.max_zoom, subdomains: data.basemap.subdomains || "abc"})
        .addTo(map);
    }
    var outline = L.geoJSON(data.outline, {style: {color: "#13315c", weight: 2, fillColor: "#8da9c4",
                                                   fillOpacity: 0.08}, interactive: false});
    map.fitBounds(outline.getBounds(), {padding: [8, 8]});  // a view first: vector layers need one to draw
    outline.addTo(map);
    data.roads.forEach(function (line) {
      L.polyline(line.map(function (p) { return [p[1], p[0]]; }), {color: "#8a96a3", weight: 1.5,
                                                                    interactive: false}).addTo(map);
    });
    data.hazards.forEach(function (h) {
      L.circleMarker([h.lat, h.lon], {radius: 6, color: "#3d2b1f", weight: 1.5, fillOpacity: 0.9,
                                      fillColor: data.colours[h.level] || "#7f8c8d"}).bindTooltip(h.name).addTo(map);
    });
    data.shelters.forEach(function (s) {
      L.circleMarker([s.lat, s.lon], {radius: 6, color: "#fff", weight: 1.5, fillColor: "#2a9d8f",
                                      fillOpacity: 0.95}).bindTooltip(s.name).addTo(map);
    });
    map.on("click", function (event) {
      var lat = event.latlng.lat, lon = event.latlng.lng;
      setPlace(lat, lon, fmt("field.js_tapped", {lat: lat.toFixed(5), lon: lon.toFixed(5)}));
    });
    if (place) { setPlace(place.lat, place.lon, where.textContent); }
  }
  var gps = document.getElementById("report-gps");
  if (gps) {
    gps.addEventListener("click", function () {
      if (!navigator.geolocation) { where.textContent = fmt("field.js_no_gps", {reason: "—"}); return; }
      where.textContent = fmt("field.js_locating");
      navigator.geolocation.getCurrentPosition(function (position) {
        var c = position.coords;
        setPlace(c.latitude, c.longitude, fmt("field.js_located", {lat: c.latitude.toFixed(5),
          lon: c.longitude.toFixed(5), m: Math.round(c.accuracy)}));
        if (map) { map.setView([c.latitude, c.longitude], Math.max(map.getZoom(), 14)); }
      }, function (error) {
        where.textContent = fmt("field.js_no_gps", {reason: error.message || error.code});
      }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
    });
  }

  /* photos: a phone's large photo is sent as a JPEG of at most 2048 px (smaller uploads on a slow network) */
  var MAX_SIDE = 2048, SHRINK_ABOVE = 1.5 * 1024 * 1024;
  function shrink(file) {
    var kept = /^image\/(jpeg|png|webp)$/.test(file.type) && file.size <= SHRINK_ABOVE;
    if (kept || !window.createImageBitmap) { return Promise.resolve(file); }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", {type: "image/jpeg"}) : file);
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });  // the server decides what it can read
  }
  function photosOf(form) {
    var input = form.querySelector("input[type=file]");
    return input ? Array.prototype.slice.call(input.files) : [];
  }
  function upload(url, files) {
    if (!files.length) { return Promise.resolve({photos: []}); }
    return Promise.all(files.map(shrink)).then(function (shrunk) {
      var body = new FormData();
      shrunk.forEach(function (f) { body.append("photos", f, f.name); });
      return api("POST", url, body);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[type=file]"), function (input) {
    input.addEventListener("change", function () {
      var previews = document.getElementById(input.id.replace("-photos", "-previews"));
      previews.textContent = "";
      Array.prototype.slice.call(input.files, 0, data.max_photos).forEach(function (file) {
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        previews.appendChild(img);
      });
    });
  });
  function number(form, name) {
    var value = form.elements[name].value.trim();
    return value === "" ? 0 : Number(value);
  }

  /* 上报: the incident first, then its photos */
  var report = document.getElementById("report-form");
  if (report) {
    report.addEventListener("submit", function (event) {
      event.preventDefault();
      var message = document.getElementById("report-msg"), files = photosOf(report);
      if (!place) { say(message, fmt("field.js_need_location"), false); return; }
      if (files.length > data.max_photos) { say(message, fmt("field.js_too_many_photos", {max: data.max_photos}), false); return; }
      var f = report.elements;
      var body = {title: f.title.value.trim(), kind: f.kind.value, level: f.level.value, lon: place.lon, lat: place.lat,
                  dead: number(report, "dead"), injured: number(report, "injured"), missing: number(report, "missing"),
                  people_affected: number(report, "people_affected"), description: f.description.value.trim() || null};
      say(message, fmt("field.js_sending"));
      busy(report, true);
      var text = "";
      api("POST", "/api/v1/incidents", body).then(function (incident) {
        text = fmt("field.js_reported", {id: incident.id});
        say(message, text, true);
        return upload("/api/v1/incidents/" + incident.id + "/photos", files);
      }).then(function (sent) {
        if (sent.photos.length) { text += fmt("field.js_photos_sent", {n: sent.photos.length}); }
        say(message, text, true);
        report.reset();
        document.getElementById("report-previews").textContent = "";
        place = null;  // the next report asks for its own place
        if (marker) { marker.remove(); marker = null; }
        where.textContent = fmt("field.no_location");
      }).catch(function (error) {
        say(message, (text ? text + " · " : "") + error.message, false);
      }).then(function () { busy(report, false); });
    });
  }

  /* 巡查: a level can only be raised, and only when the patrol found something */
  var patrol = document.getElementById("patrol-form");
  function levelChoices() {
    var hazard = patrol.elements.hazard_id, raise = patrol.elements.raise_to;
    var current = hazard.options[hazard.selectedIndex].getAttribute("data-level");
    var rank = data.levels.indexOf(current);
    raise.disabled = patrol.querySelector("input[name=state]:checked").value === data.normal;
    Array.prototype.forEach.call(raise.options, function (option) {
      option.disabled = option.value !== "" && data.levels.indexOf(option.value) <= rank;
      if (option.disabled && option.selected) { raise.value = ""; }
    });
    if (raise.disabled) { raise.value = ""; }
    var chosen = hazard.options[hazard.selectedIndex];
    document.getElementById("patrol-hazard-hint").textContent = [chosen.getAttribute("data-about"),
      fmt("field.level_now", {level: data.labels[current]}), chosen.getAttribute("data-last")].join(" · ");
  }
  if (patrol) {
    patrol.addEventListener("change", levelChoices);
    levelChoices();
    patrol.addEventListener("submit", function (event) {
      event.preventDefault();
      var message = document.getElementById("patrol-msg"), files = photosOf(patrol), f = patrol.elements;
      if (files.length > data.max_photos) { say(message, fmt("field.js_too_many_photos", {max: data.max_photos}), false); return; }
      var crack = f.crack_width_mm.value.trim();
      var body = {state: patrol.querySelector("input[name=state]:checked").value,
                  crack_width_mm: crack === "" ? null : Number(crack), note: f.note.value.trim() || null,
                  raise_to: f.raise_to.value || null};
      say(message, fmt("field.js_sending"));
      busy(patrol, true);
      var text = "", option = f.hazard_id.options[f.hazard_id.selectedIndex];
      api("POST", "/api/v1/hazards/" + f.hazard_id.value + "/patrols", body).then(function (done) {
        text = fmt("field.js_patrolled", {id: done.id});
        if (body.raise_to) {
          text += fmt(done.raised_to ? "field.js_raised" : "field.js_not_raised", {level: data.labels[done.level_now]});
        }
        option.setAttribute("data-level", done.level_now);
        option.setAttribute("data-last", fmt("field.js_just_now"));
        say(message, text, true);
        return upload("/api/v1/patrols/" + done.id + "/photos", files);
      }).then(function (sent) {
        if (sent.photos.length) { text += fmt("field.js_photos_sent", {n: sent.photos.length}); }
        say(message, text, true);
        f.crack_width_mm.value = ""; f.note.value = ""; f.raise_to.value = "";
        var input = patrol.querySelector("input[type=file]");
        input.value = "";
        document.getElementById("patrol-previews").textContent = "";
      }).catch(function (error) {
        say(message, (text ? text + " · " : "") + error.message, false);
      }).then(function () { busy(patrol, false); levelChoices(); });
    });
  }

  /* 安置: the head count of one shelter */
  Array.prototype.forEach.call(document.querySelectorAll(".m-shelter"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var message = form.querySelector(".m-msg"), value = form.elements.occupancy_people.value.trim();
      busy(form, true);
      api("POST", "/api/v1/shelters/" + form.getAttribute("data-shelter") + "/occupancy",
          {occupancy_people: value === "" ? 0 : Number(value)}).then(function (s) {
        say(message, fmt("field.js_saved", {n: s.occupancy_people}), true);
        var label = data.labels[s.status] || s.status;
        form.querySelector(".m-shelter-line").textContent = fmt("field.shelter_line",
          {capacity: s.capacity_people, free: s.available_places, status: label, status_en: label});
      }).catch(function (error) { say(message, error.message, false); })
        .then(function () { busy(form, false); });
    });
  });

  /* 预警: one tap acknowledges one's own recipient row; the list is re-read after it and every 30 s */
  var list = document.getElementById("warning-list");
  function refreshWarnings() {
    var query = "?lang=" + lang + "&township=" + encodeURIComponent(data.township);
    return fetch("/m/warnings" + query, {credentials: "same-origin"}).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html === null) { return; }
      list.innerHTML = html;
      var badge = document.getElementById("warning-badge");
      var holder = list.querySelector("[data-unacknowledged]");
      if (badge && holder) {
        badge.textContent = holder.getAttribute("data-unacknowledged");
        badge.classList.toggle("zero", badge.textContent === "0");
      }
    }).catch(function () { /* offline for a moment: the next poll tries again */ });
  }
  if (list) {
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-ack]");
      if (!button) { return; }
      button.disabled = true;
      api("POST", "/api/v1/warnings/" + button.getAttribute("data-ack") + "/ack/mine").then(function () {
        button.textContent = fmt("field.js_acked");
        return refreshWarnings();
      }).catch(function (error) {
        button.disabled = false;
        var note = document.createElement("p");
        note.className = "m-msg bad";
        note.textContent = error.message;
        button.parentNode.insertBefore(note, button.nextSibling);
      });
    });
    setInterval(refreshWarnings, 30000);
    var badge = document.getElementById("warning-badge");
    if (badge) { badge.classList.toggle("zero", badge.textContent === "0"); }
  }
  show(firstTab());
})();
