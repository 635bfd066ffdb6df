/* The act pages' service worker (served by inspections:act_service_worker from under
   /inspections/acts/, so that its scope covers the act pages).

   An act page and the static files it loads are answered from the network when there is one
   (and kept in the cache), from the cache when there is none: an inspector who reloads the act
   in a basement still gets it, and act_offline.js then restores what was typed and queued.
   Writes (POST) are never intercepted: the page's outbox sends them when the connection returns. */
"use strict";

var CACHE = "opencity-act-pages-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (name) {
          return name.indexOf("opencity-act-pages-") === 0 && name !== CACHE;
        }).map(function (name) { return caches.delete(name); })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

function keep(key, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
  }
  return response;
}

function offline() {
  return new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var scope = new URL(self.registration.scope).pathname;
  if (request.mode === "navigate" && url.pathname.indexOf(scope) === 0) {
    // An act page: the network first; its cached copy without the network.
    event.respondWith(
      fetch(request).then(function (response) { return keep(url.pathname, response); })
        .catch(function () {
          return caches.match(url.pathname, { ignoreSearch: true, ignoreVary: true })
            .then(function (hit) { return hit || offline(); });
        })
    );
  } else if (url.pathname.indexOf("/static/") !== -1) {
    event.respondWith(
      fetch(request).then(function (response) { return keep(request, response); })
        .catch(function () {
          return caches.match(request, { ignoreVary: true })
            .then(function (hit) { return hit || offline(); });
        })
    );
  }
});
