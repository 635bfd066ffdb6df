// The appeals module: the chart over time (Chart.js, vendored) and the H3 heat map (Leaflet),
// both read from the page's JSON endpoints with the filters of the form; the period slider
// sets the start date from the end date.
(function () {
  "use strict";

  function isoDate(d) {
    return d.toISOString().slice(0, 10);
  }

  function slider() {
    var range = document.querySelector("[data-analytics-days]");
    var start = document.getElementById("a-start");
    var end = document.getElementById("a-end");
    var out = document.querySelector("[data-analytics-days-value]");
    if (!range || !start || !end) return;
    range.addEventListener("input", function () {
      var last = end.value ? new Date(end.value + "T00:00:00Z") : new Date();
      var first = new Date(last.getTime() - (parseInt(range.value, 10) - 1) * 86400000);
      start.value = isoDate(first);
      if (out) out.textContent = range.value;
    });
  }

  function chart() {
    var canvas = document.querySelector("[data-analytics-chart]");
    if (!canvas || typeof Chart === "undefined") return;
    fetch(canvas.dataset.url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.labels) return;
        new Chart(canvas, {
          type: "line",
          data: {
            labels: data.labels,
            datasets: [
              { label: canvas.dataset.labelFiled, data: data.filed, borderColor: "#1565c0", backgroundColor: "#1565c0", tension: 0.2 },
              { label: canvas.dataset.labelDone, data: data.done, borderColor: "#2e7d32", backgroundColor: "#2e7d32", tension: 0.2 },
              { label: canvas.dataset.labelOverdue, data: data.overdue, borderColor: "#c62828", backgroundColor: "#c62828", tension: 0.2 },
            ],
          },
          options: { responsive: true, maintainAspectRatio: false, animation: false,
                     interaction: { mode: "index", intersect: false },
                     scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
        });
        canvas.dataset.ready = "1";
      });
  }

  function colour(share) {
    // From pale yellow to dark red by the cell's share of the busiest cell.
    var stops = ["#fff3b0", "#ffd166", "#f4a261", "#e76f51", "#b5179e", "#6a040f"];
    return stops[Math.min(stops.length - 1, Math.floor(share * stops.length))];
  }

  function map() {
    var el = document.querySelector("[data-analytics-map]");
    if (!el || typeof L === "undefined") return;
    var m = L.map(el).setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)],
                              parseInt(el.dataset.zoom || "11", 10));
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(m);
    fetch(el.dataset.url, { headers: { Accept: "application/geo+json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var max = 1;
        (data.features || []).forEach(function (f) { max = Math.max(max, f.properties.filed); });
        var layer = L.geoJSON(data, {
          style: function (f) {
            var hot = f.properties.hot;
            return { color: hot ? "#d50000" : "#555", weight: hot ? 3 : 0.5,
                     fillColor: colour(f.properties.filed / max), fillOpacity: 0.7 };
          },
          onEachFeature: function (f, lyr) {
            var p = f.properties;
            lyr.bindPopup(p.filed + " " + el.dataset.labelFiled + " · " + p.done + " " +
                          el.dataset.labelDone + " · " + p.overdue + " " + el.dataset.labelOverdue +
                          (p.hot ? " · " + el.dataset.labelHot : ""));
          },
        }).addTo(m);
        if ((data.features || []).length) m.fitBounds(layer.getBounds(), { maxZoom: 14 });
        el.dataset.cells = String((data.features || []).length);
        el.dataset.hot = String((data.features || []).filter(function (f) { return f.properties.hot; }).length);
      });
  }

  function init() { slider(); chart(); map(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
