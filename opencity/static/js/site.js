/* Site-wide behaviour: disclosure toggles for the menus on small screens. No dependencies. */
(function () {
  "use strict";

  function setOpen(button, target, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    target.classList.toggle("is-open", open);
  }

  function init(root) {
    root.querySelectorAll("[data-toggle]").forEach(function (button) {
      if (button.dataset.toggleReady) return;
      var target = document.getElementById(button.dataset.toggle);
      if (!target) return;
      button.dataset.toggleReady = "1";
      button.addEventListener("click", function () {
        setOpen(button, target, button.getAttribute("aria-expanded") !== "true");
      });
      target.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
          setOpen(button, target, false);
          button.focus();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
  // Filters fold on a phone under their summary (unfolded they filled the screen before the
  // first result); on a wider screen they stay open and the summary is hidden by site.css.
  var phone = window.matchMedia("(max-width: 47.99rem)");
  function foldOnPhone() {
    document.querySelectorAll("details[data-fold-on-phone]").forEach(function (details) {
      details.open = !phone.matches;
    });
  }
  foldOnPhone();
  if (phone.addEventListener) phone.addEventListener("change", foldOnPhone);
})();
