// The inspector's route of the day: numbered stops in the list's order, joined by a line.
(function () {
  "use strict";
  function init() {
    var el = document.querySelector("[data-route-map]");
    if (!el || typeof L === "undefined") return;
    var map = L.map(el, { scrollWheelZoom: false }).setView(
      [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], parseInt(el.dataset.zoom || "12", 10));
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    var line = [];
    document.querySelectorAll("[data-stop][data-lat]").forEach(function (stop, i) {
      var point = [parseFloat(stop.dataset.lat), parseFloat(stop.dataset.lon)];
      line.push(point);
      var icon = L.divIcon({ className: "route-stop", html: String(i + 1), iconSize: [26, 26] });
      L.marker(point, { icon: icon, title: stop.dataset.label || "" }).addTo(map);
    });
    if (line.length > 1) L.polyline(line, { color: "#1565c0", weight: 3, opacity: 0.7 }).addTo(map);
    if (line.length) map.fitBounds(L.latLngBounds(line).pad(0.15), { maxZoom: 16 });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
