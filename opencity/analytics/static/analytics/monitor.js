// The wall screen's map: the buildings cut off by outages on now or upcoming (the outages'
// own GeoJSON), drawn again each time htmx refreshes the panel.
(function () {
  "use strict";

  function init() {
    var el = document.querySelector("[data-monitor-map]");
    if (!el || typeof L === "undefined") return;
    var map = L.map(el).setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)],
                                parseInt(el.dataset.zoom || "11", 10));
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    var layer = L.layerGroup().addTo(map);

    function load() {
      fetch(el.dataset.url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          layer.clearLayers();
          (data.features || []).forEach(function (f) {
            var c = f.geometry.coordinates;
            var marker = L.circleMarker([c[1], c[0]], {
              radius: 5, weight: 1, color: "#fff",
              fillColor: f.properties.now ? "#c62828" : "#f9a825", fillOpacity: 0.9,
            });
            var link = document.createElement("a");
            link.href = f.properties.url;
            link.textContent = f.properties.label + " · " + (f.properties.address || "");
            marker.bindPopup(link);
            layer.addLayer(marker);
          });
          el.dataset.points = String((data.features || []).length);
        });
    }
    load();
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.target && event.target.id === "monitor-panel") load();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
