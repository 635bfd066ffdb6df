// The web chat: share the browser's location when the bot asks for it, keep the newest line in
// view and the cursor in the message box after each answer (the thread is swapped by htmx).
(function () {
  "use strict";

  function settle() {
    var lines = document.querySelector("[data-testid='chat-lines']");
    if (lines) lines.scrollTop = lines.scrollHeight;
    var last = document.querySelector(".chat-line:last-child");
    if (last && last.scrollIntoView) last.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-chat-locate]");
    if (!button) return;
    var form = button.closest("form");
    var status = form.querySelector("[data-chat-locate-status]");
    if (!navigator.geolocation) {
      status.textContent = button.dataset.unavailable || "";
      return;
    }
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(6);
        form.elements.lon.value = position.coords.longitude.toFixed(6);
        form.requestSubmit();
      },
      function () {
        button.disabled = false;
        status.textContent = button.dataset.denied || "";
      },
      { enableHighAccuracy: true, timeout: 15000 }
    );
  });

  document.addEventListener("change", function (event) {
    // A chosen photo is sent at once, as a messenger does.
    if (event.target.matches("[data-testid='chat-photo']") && event.target.files.length) {
      event.target.form.requestSubmit();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "chat" && !event.target.closest("#chat")) return;
    settle();
    var input = document.getElementById("chat-text");
    if (input) input.focus();
  });
  document.addEventListener("DOMContentLoaded", settle);
})();
