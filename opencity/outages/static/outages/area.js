// The outage form's area: chosen buildings, a street, a district, or an area drawn on the map.
(function () {
  "use strict";

  function changed() {
    document.body.dispatchEvent(new CustomEvent("area-changed", { bubbles: true }));
  }

  function showPart(fields) {
    var checked = fields.querySelector("[data-area-kind]:checked");
    var kind = checked ? checked.value : "";
    fields.querySelectorAll("[data-area-part]").forEach(function (part) {
      part.hidden = part.dataset.areaPart !== kind;
    });
    if (kind === "polygon") initDrawMap(fields);
  }

  function addBuilding(fields, id, label) {
    var list = fields.querySelector("[data-chosen-buildings]");
    if (!list || list.querySelector('[data-chosen="' + id + '"]')) return;
    var item = document.createElement("li");
    item.dataset.chosen = id;
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "buildings";
    input.value = id;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link-button";
    remove.setAttribute("data-remove-building", "");
    remove.setAttribute("aria-label", list.dataset.labelRemove || "Remove");
    remove.textContent = "×";
    item.appendChild(input);
    item.appendChild(document.createTextNode(label + " "));
    item.appendChild(remove);
    list.appendChild(item);
    changed();
  }

  function initDrawMap(fields) {
    var el = fields.querySelector("[data-draw-map]");
    if (!el || el.dataset.ready || typeof L === "undefined") return;
    el.dataset.ready = "1";
    var input = fields.querySelector("input[name='polygon']");
    var status = fields.querySelector("[data-draw-status]");
    var map = L.map(el).setView(
      [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)],
      parseInt(el.dataset.zoom || "11", 10)
    );
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    el.leafletMap = map; // for scripts and tests that place points by coordinates
    var points = [];
    var line = L.polyline([], { color: "#b42318" }).addTo(map);
    var shape = null;
    var markers = L.layerGroup().addTo(map);
    function draw() {
      line.setLatLngs(points);
      markers.clearLayers();
      points.forEach(function (p) { L.circleMarker(p, { radius: 4, color: "#b42318" }).addTo(markers); });
      if (status) status.textContent = points.length ? String(points.length) : "";
    }
    function close() {
      if (points.length < 3) return;
      if (shape) map.removeLayer(shape);
      shape = L.polygon(points, { color: "#b42318", fillOpacity: 0.15 }).addTo(map);
      var ring = points.map(function (p) { return [p.lng, p.lat]; });
      ring.push(ring[0]);
      input.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      el.dataset.closed = "1";
      changed();
    }
    function clear() {
      points = [];
      if (shape) { map.removeLayer(shape); shape = null; }
      input.value = "";
      delete el.dataset.closed;
      draw();
      changed();
    }
    map.on("click", function (e) {
      if (el.dataset.closed) clear();
      points.push(e.latlng);
      draw();
    });
    fields.querySelector("[data-draw-close]").addEventListener("click", close);
    fields.querySelector("[data-draw-clear]").addEventListener("click", clear);
    if (input.value) {
      try {
        var ring = JSON.parse(input.value).coordinates[0];
        points = ring.slice(0, -1).map(function (c) { return L.latLng(c[1], c[0]); });
        draw();
        close();
        map.fitBounds(shape.getBounds());
      } catch (err) { input.value = ""; }
    }
  }

  function init() {
    document.querySelectorAll("[data-area-fields]").forEach(function (fields) {
      showPart(fields);
      fields.addEventListener("change", function (e) {
        if (e.target.matches("[data-area-kind]")) showPart(fields);
        if (e.target.name !== "q") changed();
      });
      fields.addEventListener("click", function (e) {
        var add = e.target.closest("[data-add-building]");
        if (add) addBuilding(fields, add.dataset.addBuilding, add.dataset.label);
        var remove = e.target.closest("[data-remove-building]");
        if (remove) { remove.closest("li").remove(); changed(); }
      });
    });
    var org = document.querySelector("[name='organisation']");
    if (org) org.addEventListener("change", changed);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
