// Sprida's service worker: makes the app installable and lets the shell load
// on a flaky connection. Server functions (/api/) and event streams are never
// cached: they carry personal, live data.
const CACHE = "sprida-v3";
const PRECACHE = ["/offline.html", "/manifest.webmanifest", "/icons/icon.svg", "/icons/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/events") || url.pathname.startsWith("/s/")) return;

  if (request.mode === "navigate") {
    // Pages are personal and change: always ask the network, fall back offline.
    event.respondWith(fetch(request).catch(() => caches.match("/offline.html")));
    return;
  }
  if (HASHED.test(url.pathname)) {
    // A hashed name never changes its contents: the cached copy is good for
    // ever. Copies of older builds are dropped when a new one arrives.
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request).then(
          (cached) =>
            cached ||
            fetch(request).then((response) => {
              if (response.ok) {
                cache.put(request, response.clone());
                dropOlderBuilds(cache, url.pathname);
              }
              return response;
            }),
        ),
      ),
    );
    return;
  }
  if (url.pathname.startsWith("/pkg/") || url.pathname.startsWith("/icons/")) {
    // Serve from cache at once, refresh it in the background.
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request).then((cached) => {
          const fresh = fetch(request).then((response) => {
            if (response.ok) cache.put(request, response.clone());
            return response;
          });
          return cached || fresh;
        }),
      ),
    );
  }
});

// /pkg/<16 hex>/…: one build's WASM pieces, JS and CSS (server/src/site).
const HASHED = /^\/pkg\/([0-9a-f]{16})\//;

// Files of other builds go once a file of this one is stored.
function dropOlderBuilds(cache, current) {
  const build = HASHED.exec(current)[1];
  cache.keys().then((keys) =>
    keys.forEach((key) => {
      const found = HASHED.exec(new URL(key.url).pathname);
      if (found && found[1] !== build) cache.delete(key);
    }),
  );
}
