// The offline queue (issue 20). A change made without signal (a progress entry with its
// well-being face, a goal status) waits here, in IndexedDB, under the id the phone gave it,
// until it is sent; the server takes each id once, so a resend never makes a second entry.
// Shared by the pages (static/js/offline.js) and the service worker (/sw.js): a classic
// script that sets self.MaatwerqQueue, so both can load it.
(function (scope) {
  "use strict";

  const DB_NAME = "maatwerq-offline";
  const STORE = "queue";
  const SYNC_TAG = "maatwerq-queue";
  const PAGES_CACHE = "maatwerq-pages";
  const LOCK = "maatwerq-queue";

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "uuid" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await openDb();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = work(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(request ? request.result : undefined);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  // Oldest first: two entries arrive in the order they were made.
  async function all() {
    const items = (await run("readonly", (store) => store.getAll())) || [];
    return items.sort((a, b) => (a.made_at < b.made_at ? -1 : a.made_at > b.made_at ? 1 : 0));
  }
  const put = (item) => run("readwrite", (store) => store.put(item));
  const remove = (uuid) => run("readwrite", (store) => store.delete(uuid));
  const clear = () => run("readwrite", (store) => store.clear());

  // Send one item. What comes back decides what happens to it (leerroutes.views, "The
  // answer to a change from the queue"):
  //   sent     "created" or "already_received" (a resend): it leaves the queue;
  //   conflict the goal moved on meanwhile: it waits for the coach to choose;
  //   refused  "refused" (reasons), 403 or 404: it waits for the coach to retry or remove;
  //   login    the session ended (a redirect to the login page): it waits for a new login;
  //   offline  no answer, or the server failed: it waits, and sending stops for now.
  async function send(item, csrf) {
    const body = new URLSearchParams(item.fields);
    body.set("client_uuid", item.uuid);
    body.set("made_at", item.made_at);
    body.set("account", item.account);
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": csrf || "", Accept: "application/json" },
      });
    } catch (error) {
      return "offline";
    }
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      await put({ ...item, state: "login" });
      return "login";
    }
    if (response.status === 403 || response.status === 404) {
      await put({ ...item, state: "refused", code: response.status, errors: [] });
      return "refused";
    }
    if (response.status !== 200 && response.status !== 201) return "offline";
    const answer = await response.json().catch(() => null);
    if (!answer) return "offline";
    if (answer.result === "created" || answer.result === "already_received") {
      item.answer = answer;
      await remove(item.uuid);
      return "sent";
    }
    if (answer.result === "conflict") {
      await put({ ...item, state: "conflict", conflict: answer });
      return "conflict";
    }
    await put({ ...item, state: "refused", code: 200, errors: (answer.errors || []).map(String) });
    return "refused";
  }

  // Send what waits, oldest first, one sender at a time (a page and the service worker may
  // both try). ``account``: only that account's items (a page knows who is logged in; the
  // server refuses another account's anyway). Returns [[item, outcome], ...].
  async function flush(csrf, account) {
    const work = async () => {
      const results = [];
      for (const item of await all()) {
        if (account !== undefined && String(item.account) !== String(account)) continue;
        if (item.state && item.state !== "waiting") continue;
        const outcome = await send(item, csrf);
        results.push([item, outcome]);
        if (outcome === "offline" || outcome === "login") break;
      }
      return results;
    };
    return scope.navigator && scope.navigator.locks
      ? scope.navigator.locks.request(LOCK, work)
      : work();
  }

  async function clearPages() {
    if (scope.caches) await scope.caches.delete(PAGES_CACHE);
  }

  scope.MaatwerqQueue = { SYNC_TAG, PAGES_CACHE, all, put, remove, clear, flush, clearPages };
})(self);
