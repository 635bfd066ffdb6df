// The public outages map (affected buildings in the visible area) and an outage's drawn area.
(function () {
  "use strict";
  var COLORS = {
    cold_water: "#1f5fbf", hot_water: "#c2410c", heating: "#b42318",
    electricity: "#a16207", gas: "#6d28d9", sewage: "#4d7c0f",
  };
  function escape(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }
  function baseMap(el) {
    var map = L.map(el).setView(
      [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)],
      parseInt(el.dataset.zoom || "11", 10)
    );
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    return map;
  }
  function outagesMap(el) {
    var map = baseMap(el);
    var layer = L.layerGroup().addTo(map);
    var status = document.querySelector("[data-map-status]");
    var request = 0;
    function load() {
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (v) { return v.toFixed(5); }).join(",");
      var mine = ++request;
      fetch(el.dataset.pointsUrl + "?bbox=" + bbox, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (mine !== request) return;
          layer.clearLayers();
          data.features.forEach(function (f) {
            var c = f.geometry.coordinates, p = f.properties;
            var color = COLORS[p.resource] || "#333";
            L.circleMarker([c[1], c[0]], {
              radius: 6, weight: 2, color: color, fillColor: color, fillOpacity: p.now ? 0.7 : 0.05,
            }).bindPopup(
              "<strong>" + escape(p.label) + "</strong> · " +
              escape(p.now ? el.dataset.labelNow : el.dataset.labelUpcoming) + "<br>" +
              escape(p.address) + '<br><a href="' + escape(p.url) + '">' + escape(el.dataset.labelOpen) + "</a>"
            ).addTo(layer);
          });
          el.dataset.points = String(data.features.length);
          if (status) status.textContent = String(data.features.length);
        });
    }
    map.on("moveend", load);
    load();
  }
  function areaMap(el) {
    var map = baseMap(el);
    var data = JSON.parse(document.getElementById(el.dataset.geojsonId).textContent);
    var shape = L.geoJSON(data, { style: { color: "#b42318", fillOpacity: 0.15 } }).addTo(map);
    map.fitBounds(shape.getBounds());
  }
  function init() {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-outages-map]").forEach(outagesMap);
    document.querySelectorAll("[data-area-map]").forEach(areaMap);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
