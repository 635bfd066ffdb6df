/* Staff appeal pages: 422 responses swap in place, the intake form's keyboard helpers. */
(function () {
  "use strict";

  // A form re-rendered with its errors comes back as 422: show it instead of dropping it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function chooseBuilding(form, button) {
    var hidden = form.querySelector("input[name=building]");
    var query = form.querySelector("[data-building-query]");
    var chosen = form.querySelector("[data-building-chosen]");
    if (!hidden) return;
    hidden.value = button.dataset.buildingId;
    // Hidden inputs fire no change of their own: tell the form (it looks for duplicates).
    hidden.dispatchEvent(new Event("change", { bubbles: true }));
    if (query) query.value = button.dataset.buildingLabel;
    if (chosen) chosen.textContent = button.dataset.buildingLabel;
    var hits = document.getElementById("intake-building-hits");
    if (hits) hits.innerHTML = "";
    var next = form.querySelector("[name=apartment_number]");
    if (next) next.focus();
  }

  // A row's "Actions" button: the first click loads the panel (htmx), later ones fold it.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-row-panel]");
    if (!toggle) return;
    var panel = document.getElementById(toggle.dataset.rowPanel);
    if (!panel) return;
    if (toggle.dataset.loaded) {
      panel.hidden = !panel.hidden;
    } else {
      toggle.dataset.loaded = "1";
      panel.hidden = false;
    }
    toggle.setAttribute("aria-expanded", panel.hidden ? "false" : "true");
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-building-id]");
    if (!button) return;
    var form = button.closest("form") || document.querySelector("[data-testid=intake-form]");
    if (form) chooseBuilding(form, button);
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    // Ctrl+Enter (or Cmd+Enter) sends the intake form from any field.
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var form = target.closest && target.closest("form[data-submit-shortcut]");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (target.matches && target.matches("[data-building-query]")) {
      var first = document.querySelector("#intake-building-hits [data-building-id]");
      if (event.key === "Enter" && first) {
        // Enter in the address box picks the first suggestion instead of sending the form.
        event.preventDefault();
        chooseBuilding(target.form, first);
      } else if (event.key === "ArrowDown" && first) {
        event.preventDefault();
        first.focus();
      } else if (event.key !== "Tab" && event.key !== "Enter" && !event.key.startsWith("Arrow")) {
        var hidden = target.form.querySelector("input[name=building]");
        var chosen = target.form.querySelector("[data-building-chosen]");
        if (hidden && hidden.value) hidden.value = "";
        if (chosen) chosen.textContent = "";
      }
    }
    if (target.matches && target.matches("[data-building-id]")) {
      var items = Array.prototype.slice.call(
        document.querySelectorAll("#intake-building-hits [data-building-id]")
      );
      var index = items.indexOf(target);
      if (event.key === "ArrowDown" && index < items.length - 1) {
        event.preventDefault();
        items[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (index > 0 ? items[index - 1] : document.querySelector("[data-building-query]")).focus();
      }
    }
  });

  // Type-ahead over the category list: keep matching options, select the first of them.
  document.addEventListener("input", function (event) {
    var filter = event.target;
    if (!filter.matches || !filter.matches("[data-category-filter]")) return;
    var select = document.getElementById(filter.dataset.categoryFilter);
    if (!select) return;
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) return;
      var text = option.textContent.toLowerCase();
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      option.hidden = !match;
      if (match && first === null) first = option;
    });
    if (first && select.value !== first.value) {
      select.value = first.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
