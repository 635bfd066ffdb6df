// The filing form: a pin on a Leaflet map fills lat/lon; "use my location" or a chosen address
// moves the pin.
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
    // The address search: a chosen address moves the pin there and names the place.
    var placeQuery = form.querySelector("[data-place-query]");
    var placeChoices = document.getElementById("place-choices");
    var addressInput = form.querySelector("[name=address]");
    function choosePlace(button) {
      place(L.latLng(parseFloat(button.dataset.placeLat), parseFloat(button.dataset.placeLon)), true);
      if (placeQuery) placeQuery.value = button.dataset.placeLabel;
      if (addressInput && !addressInput.value) addressInput.value = button.dataset.placeLabel;
      if (placeChoices) placeChoices.innerHTML = "";
    }
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-place-lat]");
      if (button) choosePlace(button);
    });
    if (placeQuery) {
      placeQuery.addEventListener("keydown", function (event) {
        // Enter picks the first address instead of sending the appeal half-written.
        if (event.key !== "Enter") return;
        event.preventDefault();
        var first = placeChoices && placeChoices.querySelector("[data-place-lat]");
        if (first) choosePlace(first);
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
