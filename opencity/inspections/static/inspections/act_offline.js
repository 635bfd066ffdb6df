/* The act filled on a phone, with or without a connection.

   - What is typed into the act's forms is kept in localStorage as it is typed (a reload or a
     dropped network loses nothing) and put back when the page opens again.
   - A form sent is not posted at once: it goes into an outbox in IndexedDB (a photo as its
     blob, one entry per photo) and the outbox is sent in order, one request at a time, when
     there is a connection; photos show their upload's progress. Every defect, work and photo
     carries the key (a UUID) made here, so a request sent twice (the answer lost on the way)
     adds nothing twice: the server returns what the first one made.
   - The server's answer (the element's card and the building's wear, or the findings) replaces
     the page's parts of the same id; a refusal shows on its form with what was entered.
   - A service worker (act_sw.js) keeps the page and its static files for a reload offline.
   - Signing and removing need the connection (and an empty outbox): their buttons wait.

   The page works without this script: every form posts as usual. */
(function () {
  "use strict";

  var box = document.getElementById("act-sync");
  if (!box || !window.indexedDB || !window.FormData || !window.OpencityActStore) return;
  var ACT = box.getAttribute("data-act");
  var CACHE = "opencity-act-pages-v1";
  var ZERO = "00000000-0000-0000-0000-000000000000";
  var statusLine = box.querySelector(".act-sync-status");
  var outboxList = box.querySelector(".act-outbox");
  var notes = [];
  var progress = {};
  var flushing = false;
  var signedOut = false;
  var pendingCount = 0;
  var retryDelay = 3000;

  function msg(name) { return box.getAttribute("data-msg-" + name) || ""; }

  var store = window.OpencityActStore(ACT);
  var uuid = store.uuid, outbox = store.outbox, enqueue = store.enqueue, dequeue = store.dequeue;
  var draftSave = store.draftSave, draftClear = store.draftClear, draftRestore = store.draftRestore;

  function offlineForms(root) {
    return Array.prototype.slice.call((root || document).querySelectorAll("form[data-offline-form]"));
  }

  /* ---- the page -------------------------------------------------------------------------- */
  function field(fields, name) {
    for (var i = 0; i < fields.length; i += 1) if (fields[i][0] === name) return fields[i][1];
    return "";
  }

  function pendingDefectOptions(ops) {
    var select = document.querySelector("#work-form select[name=defect]");
    if (!select) return;
    ops.forEach(function (op) {
      if (op.kind !== "defect" || select.querySelector('option[value="' + op.key + '"]')) return;
      var option = document.createElement("option");
      option.value = op.key;
      option.textContent = op.label + " (" + msg("waiting").replace(/:$/, "") + ")";
      select.appendChild(option);
    });
  }

  function render() {
    return outbox().then(function (ops) {
      pendingCount = ops.length;
      box.hidden = false;
      var online = navigator.onLine;
      var state = !online ? "offline" : signedOut ? "signin" : ops.length ? "sending" : "saved";
      statusLine.textContent = msg(state);
      box.setAttribute("data-state", state);
      box.classList.toggle("act-sync-offline", !online);
      outboxList.textContent = "";
      if (ops.length) {
        var head = document.createElement("li");
        head.textContent = msg("waiting");
        outboxList.appendChild(head);
      }
      ops.forEach(function (op) {
        var li = document.createElement("li");
        li.setAttribute("data-testid", "act-outbox-item");
        li.textContent = (msg(op.kind) || "") + (op.label ? (msg(op.kind) ? ": " : "") + op.label : "");
        if (op.kind === "photo") {
          var bar = document.createElement("progress");
          bar.max = 100;
          bar.value = Math.round((progress[op.seq] || 0) * 100);
          bar.setAttribute("data-seq", op.seq);
          bar.setAttribute("aria-label", msg("photo") + " " + op.label);
          li.appendChild(document.createTextNode(" "));
          li.appendChild(bar);
        }
        outboxList.appendChild(li);
      });
      notes.forEach(function (note) {
        var li = document.createElement("li");
        li.className = "act-sync-note";
        li.setAttribute("data-testid", "act-outbox-note");
        li.textContent = note;
        outboxList.appendChild(li);
      });
      pendingDefectOptions(ops);
      Array.prototype.forEach.call(document.querySelectorAll("form[data-online-only] button"), function (button) {
        button.disabled = !online || ops.length > 0;
        button.title = button.disabled ? msg("online-only") : "";
      });
    });
  }

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var swapped = [];
    Array.prototype.forEach.call(doc.body.children, function (node) {
      var old = node.id && document.getElementById(node.id);
      if (old) {
        var fresh = document.importNode(node, true);
        old.replaceWith(fresh);
        swapped.push(fresh);
      }
    });
    return swapped;
  }

  function answer(html, op, accepted) {
    // The server's parts replace the page's; a form the answer replaced gets back what is
    // being typed into it meanwhile (its draft), unless it is the one just accepted.
    swap(html).forEach(function (node) {
      offlineForms(node).forEach(function (form) {
        if (accepted && form.id === op.form) draftClear(form.id);
        else draftRestore(form);
      });
    });
  }

  /* ---- sending ---------------------------------------------------------------------------- */
  function send(op) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", op.url);
      xhr.setRequestHeader("HX-Request", "true");
      xhr.timeout = 120000;
      var body = new FormData();
      // The page's own token: an entry queued on a page of an earlier session carries a stale one.
      var token = document.querySelector("input[name=csrfmiddlewaretoken]");
      op.fields.forEach(function (pair) {
        body.append(pair[0], pair[0] === "csrfmiddlewaretoken" && token ? token.value : pair[1]);
      });
      if (op.file) {
        body.append(op.fileField, op.file, op.filename);
        xhr.upload.onprogress = function (event) {
          if (!event.lengthComputable) return;
          progress[op.seq] = event.loaded / event.total;
          var bar = outboxList.querySelector('progress[data-seq="' + op.seq + '"]');
          if (bar) bar.value = Math.round(progress[op.seq] * 100);
        };
      }
      xhr.onload = function () { resolve(xhr); };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { resolve({ status: 0 }); };
      xhr.send(body);
    });
  }

  function sameUrl(xhr, op) {
    return !xhr.responseURL || new URL(xhr.responseURL).pathname === new URL(op.url, location.href).pathname;
  }

  function step() {
    return outbox().then(function (ops) {
      if (!ops.length) return "done";
      if (!navigator.onLine) return "offline";
      var op = ops[0];
      return send(op).then(function (xhr) {
        var status = xhr.status;
        if (status === 401 || status === 403 || (status >= 200 && status < 300 && !sameUrl(xhr, op))) {
          signedOut = true;
          return "stop";
        }
        if (status >= 200 && status < 300) {
          answer(xhr.responseText, op, true);
          return dequeue([op.seq]).then(step);
        }
        if (status === 400 || status === 404 || status === 409 || status === 413 || status === 422) {
          // Refused: the answer shows the form again with what was sent and why.
          if (status === 400 || status === 422) answer(xhr.responseText, op, false);
          notes.push(msg("refused") + " " + (msg(op.kind) ? msg(op.kind) + ": " : "") + op.label);
          var gone = [op.seq];
          if (op.kind === "defect") {
            ops.forEach(function (other) {
              if (other.parent === op.key) {
                gone.push(other.seq);
                notes.push(msg("photo") + " " + other.label + ": " + msg("orphan"));
              }
            });
          }
          return dequeue(gone).then(step);
        }
        return "retry";
      });
    });
  }

  function flush() {
    if (flushing) return Promise.resolve();
    flushing = true;
    signedOut = false;
    return render().then(step).then(function (outcome) {
      flushing = false;
      if (outcome === "done") cachePage();
      // No answer (a dropped connection, a server error): again in 3 s, then ever later (a
      // every 15 s at most, as the timer below); an answer sets it back.
      if (outcome === "retry") {
        setTimeout(flush, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 15000);
      } else {
        retryDelay = 3000;
      }
      return render();
    }, function () {
      flushing = false;
      return render();
    });
  }

  /* ---- the forms -------------------------------------------------------------------------- */
  function queueForm(form, submitter) {
    var kind = form.getAttribute("data-offline-form");
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var fields = [];
    var files = [];
    data.forEach(function (value, name) {
      if (typeof value === "string") fields.push([name, value]);
      else if (value && value.size) files.push({ name: name, blob: value, filename: value.name || "photo.jpg" });
    });
    var csrf = field(fields, "csrfmiddlewaretoken");
    var label = form.getAttribute("data-label") || "";
    var base = { act: ACT, url: form.action, form: form.id, kind: kind, fields: fields, label: label };
    var ops = [];
    if (kind === "defect" || kind === "work") {
      base.key = field(fields, "key") || uuid();
      base.label = field(fields, "description").slice(0, 60);
      ops.push(base);
    } else if (kind !== "photo") {  // an element, the override, the assessment, the commission
      base.replace = true;
      ops.push(base);
    }
    var photoUrl = kind === "defect" ? form.getAttribute("data-photo-url").replace(ZERO, base.key) : form.action;
    files.forEach(function (file) {
      ops.push({
        act: ACT, url: photoUrl, kind: "photo", parent: kind === "defect" ? base.key : null,
        fields: [["csrfmiddlewaretoken", csrf], ["key", uuid()]],
        file: file.blob, fileField: kind === "defect" ? "photo" : file.name, filename: file.filename,
        label: file.filename
      });
    });
    if (!ops.length) return Promise.resolve();
    return enqueue(ops).then(function () {
      if (kind === "defect" || kind === "work" || kind === "photo") {
        // A new entry gets a new key; the one queued is in the outbox (and listed).
        form.reset();
        var key = form.querySelector("input[name=key]");
        if (key) key.value = uuid();
        draftClear(form.id);
      } else {
        draftSave(form);
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-online-only")) {
      if (!navigator.onLine || pendingCount > 0) event.preventDefault();
      return;
    }
    if (!form.hasAttribute("data-offline-form")) return;
    event.preventDefault();
    queueForm(form, event.submitter).then(flush);
  });

  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target.form;
      if (form && form.hasAttribute("data-offline-form") && form.id) draftSave(form);
    });
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  setInterval(function () { if (navigator.onLine && pendingCount) flush(); }, 15000);

  /* ---- the service worker and the page's copy --------------------------------------------- */
  function cachePage() {
    if (!navigator.onLine || !window.caches) return;
    var urls = [location.pathname];
    Array.prototype.forEach.call(
      document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=icon][href]"),
      function (el) { urls.push(el.src || el.href); }
    );
    caches.open(CACHE).then(function (cache) { return cache.addAll(urls); })
      .then(function () { box.setAttribute("data-cached", "true"); })
      .catch(function () {});
  }

  if ("serviceWorker" in navigator) {
    var worker = box.getAttribute("data-sw");
    navigator.serviceWorker.register(worker, { scope: worker.replace(/sw\.js$/, "") })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(cachePage)
      .catch(function () { /* no worker (a private window): the outbox still works */ });
  }

  outbox().then(function (ops) {
    pendingDefectOptions(ops);
    offlineForms().forEach(draftRestore);
    return flush();
  });
})();
