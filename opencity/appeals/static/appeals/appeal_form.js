// The filing form: a pin on a Leaflet map fills lat/lon; "use my location" moves the pin.
(function () {
  "use strict";
  function init() {
    var el = document.querySelector("[data-pin-map]");
    if (!el || typeof L === "undefined") return;
    var form = el.closest("form");
    var latInput = form.querySelector("input[name=lat]");
    var lonInput = form.querySelector("input[name=lon]");
    var status = form.querySelector("[data-pin-status]");
    var hasPin = latInput.value && lonInput.value;
    var center = hasPin
      ? [parseFloat(latInput.value), parseFloat(lonInput.value)]
      : [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    var map = L.map(el, { scrollWheelZoom: false }).setView(
      center, hasPin ? 17 : parseInt(el.dataset.zoom || "12", 10)
    );
    L.tileLayer(el.dataset.tileUrl, {
      attribution: el.dataset.tileAttribution || "",
      maxZoom: 19,
    }).addTo(map);
    var marker = null;
    function place(latlng, pan) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, { draggable: true }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), false); });
      }
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      if (pan) map.setView(latlng, Math.max(map.getZoom(), 16));
      if (status) status.textContent = el.dataset.pinSet || "✓";
      // Tell the "similar appeals" panel the place changed.
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (hasPin) place(L.latLng(center[0], center[1]), false);
    map.on("click", function (e) { place(e.latlng, false); });
    var locate = form.querySelector("[data-locate]");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          place(L.latLng(pos.coords.latitude, pos.coords.longitude), true);
        });
      });
    }
    el._pinMap = map;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
