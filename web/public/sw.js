/* Resee service worker — hand-written, no precache manifest.
 *
 * The guarantee: index.html (every navigation) is NEVER stored in any cache. Navigations always
 * go to the network; only when the network fails is the small static /offline.html shown. So a
 * deploy is visible on the next page load, and index.html can never point at hashed assets that
 * no longer exist.
 *
 *   navigations (index.html)  network only (cache: 'no-store'); offline → /offline.html
 *   /assets/*  (hashed names)   cache-first (a hashed file never changes), bounded cache
 *   /api/*                      not touched at all: straight to the network, never cached
 *   anything else               not touched (browser default)
 */
const VERSION = 'v1';
const ASSETS_CACHE = `resee-assets-${VERSION}`;
const OFFLINE_CACHE = `resee-offline-${VERSION}`;
const OFFLINE_URL = '/offline.html';
const MAX_ASSETS = 120;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(OFFLINE_CACHE)
      .then((cache) => cache.add(new Request(OFFLINE_URL, { cache: 'reload' })))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith('resee-') && key !== ASSETS_CACHE && key !== OFFLINE_CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function trimAssets() {
  const cache = await caches.open(ASSETS_CACHE);
  const keys = await cache.keys();
  // Cache.keys() returns insertion order: drop the oldest entries.
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_ASSETS)).map((key) => cache.delete(key)));
}

async function navigate(request) {
  try {
    return await fetch(request, { cache: 'no-store' });
  } catch {
    const offline = await caches.match(OFFLINE_URL, { cacheName: OFFLINE_CACHE });
    return offline || new Response('Offline', { status: 503, headers: { 'Content-Type': 'text/plain' } });
  }
}

async function asset(request) {
  const cache = await caches.open(ASSETS_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    await cache.put(request, response.clone());
    trimAssets();
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return; // never cached, never intercepted

  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(asset(request));
  }
});
