// Draw the building's map from the data attributes of [data-building-map].
(function () {
  "use strict";
  function init() {
    var el = document.querySelector("[data-building-map]");
    if (!el || typeof L === "undefined") return;
    var lat = parseFloat(el.dataset.lat);
    var lon = parseFloat(el.dataset.lon);
    var zoom = parseInt(el.dataset.zoom || "16", 10);
    var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], zoom);
    L.tileLayer(el.dataset.tileUrl, {
      attribution: el.dataset.tileAttribution || "",
      maxZoom: 19,
    }).addTo(map);
    if (el.dataset.hasMarker === "true") {
      L.marker([lat, lon], { title: el.dataset.label || "" }).addTo(map);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
