// The public wear map: buildings as coloured dots by condition or capital-repair class, the
// legend's counts from the same JSON (inspections:wear_map_data), filtered by the form's query.
(function () {
  "use strict";
  var COLOURS = {
    condition: { good: "#2e7d32", satisfactory: "#9e9d24", unsatisfactory: "#ef6c00",
                 dilapidated: "#c62828", unfit: "#4a148c" },
    "class": { none: "#2e7d32", needed: "#ef6c00", priority: "#c62828", survey: "#4a148c" },
  };
  var NONE = "#9e9e9e";

  function init() {
    var el = document.querySelector("[data-wear-map]");
    if (!el || typeof L === "undefined") return;
    var map = L.map(el, { preferCanvas: true }).setView(
      [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], parseInt(el.dataset.zoom || "12", 10));
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    var layer = L.layerGroup().addTo(map);
    var bySelect = document.querySelector("[data-wear-by]");
    var data = null;

    function by() { return bySelect && bySelect.value === "class" ? "class" : "condition"; }

    function draw() {
      if (!data) return;
      layer.clearLayers();
      var key = by();
      var codes = key === "class" ? data.classes : data.conditions;
      var index = key === "class" ? 5 : 4;
      var renderer = L.canvas({ padding: 0.2 });
      data.points.forEach(function (p) {
        var code = p[index] >= 0 ? codes[p[index]] : "";
        var colour = (code && COLOURS[key][code]) || NONE;
        var marker = L.circleMarker([p[1], p[2]], {
          renderer: renderer, radius: 5, weight: 1, color: "#fff", fillColor: colour, fillOpacity: 0.9,
        });
        var url = el.dataset.logUrl.replace(/\/0\/$/, "/" + p[0] + "/");
        var text = document.createElement("div");
        var strong = document.createElement("strong");
        strong.textContent = p[6] || "";
        text.appendChild(strong);
        if (p[3] !== null) text.appendChild(document.createTextNode(" · " + el.dataset.labelWear + " " + Math.round(p[3]) + " %"));
        text.appendChild(document.createElement("br"));
        var link = document.createElement("a");
        link.href = url;
        link.textContent = el.dataset.labelOpen;
        text.appendChild(link);
        marker.bindPopup(text);
        layer.addLayer(marker);
      });
      document.querySelectorAll("[data-wear-legend]").forEach(function (legend) {
        var shown = legend.dataset.by === key;
        legend.hidden = !shown;
        var counts = legend.dataset.by === "class" ? data.counts.repair_class : data.counts.condition;
        legend.querySelectorAll("li").forEach(function (li) {
          var n = counts[li.dataset.code];
          li.querySelector("[data-count]").textContent = "(" + (n || 0) + ")";
        });
      });
      var status = document.querySelector("[data-wear-status]");
      if (status) {
        status.textContent = status.dataset.template
          .replace("{total}", data.counts.total)
          .replace("{mapped}", data.points.length);
      }
    }

    var query = window.location.search || "";
    fetch(el.dataset.pointsUrl + query, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (json) { data = json; draw(); });
    if (bySelect) bySelect.addEventListener("change", draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
