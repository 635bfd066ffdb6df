// The public map: open appeals in the visible area, fetched as GeoJSON when the view moves.
(function () {
  "use strict";
  function init() {
    var el = document.querySelector("[data-appeals-map]");
    if (!el || typeof L === "undefined") return;
    var map = L.map(el).setView(
      [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)],
      parseInt(el.dataset.zoom || "11", 10)
    );
    L.tileLayer(el.dataset.tileUrl, {
      attribution: el.dataset.tileAttribution || "",
      maxZoom: 19,
    }).addTo(map);
    var layer = L.layerGroup().addTo(map);
    var status = document.querySelector("[data-map-status]");
    var request = 0;
    function escape(text) {
      var div = document.createElement("div");
      div.textContent = text == null ? "" : String(text);
      return div.innerHTML;
    }
    function load() {
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (v) { return v.toFixed(5); }).join(",");
      var mine = ++request;
      var query = "?bbox=" + bbox + "&zoom=" + map.getZoom();
      fetch(el.dataset.pointsUrl + query, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (mine !== request) return;
          layer.clearLayers();
          data.features.forEach(function (f) {
            var c = f.geometry.coordinates;
            var p = f.properties;
            if (p.cluster) {
              // A group of appeals: its count in a bubble, red when some are overdue; a click
              // zooms in towards it.
              var size = p.count < 10 ? 30 : p.count < 100 ? 38 : p.count < 1000 ? 46 : 54;
              L.marker([c[1], c[0]], {
                icon: L.divIcon({
                  className: "map-cluster" + (p.overdue ? " map-cluster-overdue" : ""),
                  html: "<span>" + escape(p.count) + "</span>",
                  iconSize: [size, size],
                }),
                keyboard: true,
                title: el.dataset.labelCluster.replace("{n}", String(p.count)),
              })
                .on("click", function () {
                  map.setView([c[1], c[0]], Math.min(map.getZoom() + 2, 18));
                })
                .addTo(layer);
              return;
            }
            L.circleMarker([c[1], c[0]], {
              radius: 7,
              weight: 2,
              color: p.overdue ? "#b42318" : "#1f5fbf",
              fillOpacity: 0.6,
            })
              .bindPopup(
                "<strong>" + escape(p.number) + "</strong><br>" + escape(p.category) +
                '<br><a href="' + escape(p.url) + '">' + escape(el.dataset.labelOpen) + "</a>"
              )
              .addTo(layer);
          });
          el.dataset.points = String(data.features.length);
          el.dataset.total = String(data.total);
          if (status) {
            var template = data.clustered ? el.dataset.statusClusters : el.dataset.statusPoints;
            status.textContent = template.replace("{n}", String(data.total));
          }
        });
    }
    map.on("moveend", load);
    load();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
