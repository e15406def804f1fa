{% load i18n static %}// MaatwerQ's service worker (issue 20), served at /sw.js by leerroutes.views.service_worker
// so that it may control every page. It keeps two things on the phone, and only these:
// * the static files the pages need (cached when it installs, then refreshed in the
//   background);
// * the pages the server marks with the X-MaatwerQ-Offline header: the coach's own caseload
//   and the progress logs of their own trainees, never care notes or anyone else's pages.
//   Pages come from the network first; the copy last seen is shown only when the network does
//   not answer. Logging out and switching role empty that cache (static/js/offline.js, and
//   the Clear-Site-Data header of maatwerq.accounts.middleware).
// Changes made without signal wait in IndexedDB (static/js/offline-queue.js); this worker
// sends them on Background Sync, the page sends them when it loads or the signal returns.
importScripts(
  "{% static 'vendor/workbox-core/workbox-core.prod.js' %}",
  "{% static 'vendor/workbox-routing/workbox-routing.prod.js' %}",
  "{% static 'vendor/workbox-strategies/workbox-strategies.prod.js' %}",
  "{% static 'js/offline-queue.js' %}",
);

const STATIC_CACHE = "maatwerq-static-{{ version }}";
const STATIC_FILES = {{ static_files|safe }};
const CSRF_COOKIE = "{{ csrf_cookie_name|escapejs }}";
const queue = self.MaatwerqQueue;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => cache.addAll(STATIC_FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("maatwerq-static-") && key !== STATIC_CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// Only a page the server marked is kept.
const onlyMarked = {
  cacheWillUpdate: async ({ response }) =>
    response && response.status === 200 && response.headers.get("X-MaatwerQ-Offline") === "keep"
      ? response
      : null,
};

workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin,
  new workbox.strategies.NetworkFirst({
    cacheName: queue.PAGES_CACHE,
    networkTimeoutSeconds: 8,
    plugins: [onlyMarked],
  }),
);

workbox.routing.registerRoute(
  ({ url }) =>
    url.origin === self.location.origin &&
    (url.pathname.startsWith("{% get_static_prefix %}") || url.pathname === "{% url 'web_manifest' %}"),
  new workbox.strategies.StaleWhileRevalidate({ cacheName: STATIC_CACHE }),
);

// A page never kept, opened without signal: say so plainly, with the way to what is kept.
const OFFLINE_PAGE = `<!DOCTYPE html>
<html lang="{{ LANGUAGE_CODE|default:'nl' }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ offline_title|escapejs }} · MaatwerQ</title>
<link rel="stylesheet" href="{% static 'vendor/bootstrap/css/bootstrap.min.css' %}"></head>
<body><main class="container py-4"><h1 class="h4">{{ offline_title|escapejs }}</h1>
<p>{{ offline_text|escapejs }}</p>
<p><a class="btn btn-primary" href="{% url 'leerroutes:caseload' %}">{{ offline_link|escapejs }}</a></p>
</main></body></html>`;

workbox.routing.setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    return new Response(OFFLINE_PAGE, {
      status: 503,
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  }
  return Response.error();
});

async function csrfToken() {
  if (!self.cookieStore) return null;
  const cookie = await self.cookieStore.get(CSRF_COOKIE);
  return cookie ? cookie.value : null;
}

async function tellPages() {
  const pages = await self.clients.matchAll({ type: "window" });
  pages.forEach((page) => page.postMessage({ type: "queue-changed" }));
}

self.addEventListener("sync", (event) => {
  if (event.tag !== queue.SYNC_TAG) return;
  event.waitUntil(
    csrfToken().then(async (csrf) => {
      if (!csrf) return; // the page sends it when it loads
      const results = await queue.flush(csrf);
      await tellPages();
      if (results.some(([, outcome]) => outcome === "offline")) {
        throw new Error("still offline"); // the browser tries again later
      }
    }),
  );
});
