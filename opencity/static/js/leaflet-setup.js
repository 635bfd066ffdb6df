// Point Leaflet's default marker at the collected (hashed) icon files.
(function () {
  "use strict";
  var data = document.currentScript && document.currentScript.dataset;
  if (!data || typeof L === "undefined") return;
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: data.iconUrl,
    iconRetinaUrl: data.iconRetinaUrl,
    shadowUrl: data.shadowUrl,
  });
})();
