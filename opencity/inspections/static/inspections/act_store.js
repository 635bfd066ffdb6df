/* The act's storage on the phone, for act_offline.js: the outbox of writes waiting to be sent
   (IndexedDB: one entry per form sent, one per photo with its blob) and the drafts of what is
   typed and not yet sent (localStorage, per act and form). window.OpencityActStore(act) returns
   them for one act. */
(function () {
  "use strict";

  window.OpencityActStore = function (ACT) {
    var DRAFT = "opencity:act-draft:" + ACT;

    function uuid() {
      if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
      var b = crypto.getRandomValues(new Uint8Array(16));
      b[6] = (b[6] & 15) | 64;
      b[8] = (b[8] & 63) | 128;
      var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
      return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
    }

    /* ---- the outbox (IndexedDB) ---------------------------------------------------------- */
    var opened = null;
    function database() {
      if (!opened) {
        opened = new Promise(function (resolve, reject) {
          var request = indexedDB.open("opencity-acts", 1);
          request.onupgradeneeded = function () {
            request.result.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
          };
          request.onsuccess = function () { resolve(request.result); };
          request.onerror = function () { reject(request.error); };
        });
      }
      return opened;
    }

    function transact(mode, work) {
      return database().then(function (db) {
        return new Promise(function (resolve, reject) {
          var tx = db.transaction("outbox", mode);
          var request = work(tx.objectStore("outbox"));
          tx.oncomplete = function () { resolve(request ? request.result : undefined); };
          tx.onerror = tx.onabort = function () { reject(tx.error); };
        });
      });
    }

    function outbox() {
      return transact("readonly", function (store) { return store.getAll(); }).then(function (all) {
        return all.filter(function (op) { return op.act === ACT; });
      });
    }

    function enqueue(ops) {
      // An element's (or override's) new entry replaces its unsent one: the last one counts.
      return transact("readwrite", function (store) {
        var replacing = ops.filter(function (op) { return op.replace; }).map(function (op) { return op.url; });
        store.openCursor().onsuccess = function (event) {
          var cursor = event.target.result;
          if (cursor) {
            if (cursor.value.act === ACT && replacing.indexOf(cursor.value.url) !== -1) cursor.delete();
            cursor.continue();
          } else {
            ops.forEach(function (op) { store.add(op); });
          }
        };
      });
    }

    function dequeue(seqs) {
      return transact("readwrite", function (store) {
        seqs.forEach(function (seq) { store.delete(seq); });
      });
    }

    /* ---- what was typed (localStorage) ---------------------------------------------------- */
    function drafts() {
      try { return JSON.parse(localStorage.getItem(DRAFT)) || {}; } catch (e) { return {}; }
    }
    function draftsWrite(all) {
      try { localStorage.setItem(DRAFT, JSON.stringify(all)); } catch (e) { /* full: the outbox still has it */ }
    }
    function fieldsOf(form) {
      var values = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "file" || el.type === "submit" || el.name === "csrfmiddlewaretoken") return;
        if (el.type === "checkbox" || el.type === "radio") {
          values[el.name] = values[el.name] || [];
          if (el.checked) values[el.name].push(el.value);
        } else {
          values[el.name] = el.value;
        }
      });
      return values;
    }
    function draftSave(form) {
      var all = drafts();
      all[form.id] = fieldsOf(form);
      draftsWrite(all);
    }
    function draftClear(id) {
      var all = drafts();
      if (id in all) { delete all[id]; draftsWrite(all); }
    }
    function draftRestore(form) {
      var values = drafts()[form.id];
      if (!values) return;
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || !(el.name in values) || el.type === "file" || el.name === "csrfmiddlewaretoken") return;
        if (el.type === "checkbox" || el.type === "radio") el.checked = values[el.name].indexOf(el.value) !== -1;
        else el.value = values[el.name];
      });
      // A part typed into the folded rows of parts of different condition shows them.
      Array.prototype.forEach.call(form.querySelectorAll("details"), function (details) {
        var filled = Array.prototype.some.call(details.querySelectorAll("input"), function (el) {
          return el.type === "checkbox" ? el.checked : el.value !== "";
        });
        if (filled) details.open = true;
      });
    }

    return {
      uuid: uuid,
      outbox: outbox,
      enqueue: enqueue,
      dequeue: dequeue,
      draftSave: draftSave,
      draftClear: draftClear,
      draftRestore: draftRestore
    };
  };
})();
