// Sign-up: show the e-mail or the phone field, whichever sign-in method is chosen.
(function () {
  "use strict";
  var form = document.querySelector('[data-testid="signup-form"]');
  if (!form) return;
  function sync() {
    var checked = form.querySelector('input[name="method"]:checked');
    var method = checked ? checked.value : "email";
    form.querySelectorAll("[data-method]").forEach(function (el) {
      el.hidden = el.getAttribute("data-method") !== method;
    });
  }
  form.querySelectorAll('input[name="method"]').forEach(function (el) {
    el.addEventListener("change", sync);
  });
  sync();
})();
