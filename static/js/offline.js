// Working without signal, on the page (issue 20). The service worker (/sw.js) keeps the
// coach's caseload and logs; this script
// * queues a progress entry made without signal, and every goal status change, in IndexedDB
//   (static/js/offline-queue.js) under an id made here, shows them as "not sent yet", and
//   sends them when the page loads, when the signal returns, or (Background Sync) by itself;
// * shows a goal changed meanwhile by someone else beside the coach's own change, to choose;
// * asks before logging out with changes not sent, and wipes the kept pages on logout and on
//   a role switch.
// No inline script (CSP): everything hangs on data attributes of the templates.
(function () {
  "use strict";

  const queue = self.MaatwerqQueue;
  const body = document.body;
  if (!queue || !body.dataset.offlineAccount) return;
  const account = body.dataset.offlineAccount;
  const WARN_AFTER_DAYS = 3;

  function text(key) {
    const element = document.querySelector(`#offline-texts [data-text="${key}"]`);
    return element ? element.textContent.trim() : key;
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function localDate(moment) {
    const pad = (n) => String(n).padStart(2, "0");
    return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
  }

  function newId(form) {
    const field = form.querySelector("input[name=client_uuid]");
    if (field) field.value = crypto.randomUUID();
    const who = form.querySelector("input[name=account]");
    if (who) who.value = account;
  }

  // --- the kept pages belong to one login and one role ---------------------------------

  async function forgetPagesOfAnotherOwner() {
    const owner = body.dataset.offlineOwner;
    if (localStorage.getItem("maatwerq-offline-owner") !== owner) {
      await queue.clearPages();
      localStorage.setItem("maatwerq-offline-owner", owner);
    }
  }

  // --- the queue on the page -------------------------------------------------------------

  function badge(label, kind) {
    const span = document.createElement("span");
    span.className = `badge text-bg-${kind} ms-1`;
    span.textContent = label;
    return span;
  }

  function button(label, kind, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `btn btn-sm btn-${kind} me-2 mt-1`;
    element.textContent = label;
    element.addEventListener("click", action);
    return element;
  }

  function face(score) {
    const label = document.querySelector(`label[for="id_wellbeing_${Number(score) - 1}"] svg`);
    const holder = document.createElement("div");
    holder.className = "entry-face";
    if (label) holder.appendChild(label.cloneNode(true));
    return holder;
  }

  function waitedDays(item) {
    return Math.floor((Date.now() - Date.parse(item.made_at)) / 86400000);
  }

  function card(item) {
    const article = document.createElement("article");
    article.className = `entry card mb-2 offline-item offline-${item.state || "waiting"}`;
    article.id = `pending-${item.uuid}`;
    article.dataset.uuid = item.uuid;
    const inner = document.createElement("div");
    inner.className = "card-body py-2 px-3 d-flex gap-2";
    if (item.kind === "entry") inner.appendChild(face(item.summary.wellbeing));
    const main = document.createElement("div");
    main.className = "flex-grow-1 entry-body";
    const meta = document.createElement("div");
    meta.className = "small text-muted";
    const made = new Date(item.made_at);
    meta.textContent = `${made.toLocaleDateString()} ${made.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
    const state = item.state || "waiting";
    if (state === "waiting" || state === "login") {
      meta.appendChild(badge(text("waiting"), "warning"));
      const days = waitedDays(item);
      if (days >= WARN_AFTER_DAYS) meta.appendChild(badge(text("days").replace("__days__", days), "danger"));
    }
    if (state === "refused") meta.appendChild(badge(text("refused"), "danger"));
    main.appendChild(meta);
    const what = document.createElement("p");
    what.className = "mb-1";
    what.textContent =
      item.kind === "entry" ? item.summary.text : `${text("goal")}: ${item.summary.goal} → ${item.summary.status}`;
    main.appendChild(what);
    if (state === "login") main.appendChild(note(text("login")));
    if (state === "refused") {
      const reasons = item.errors && item.errors.length ? item.errors.join(" ") : text("forbidden");
      main.appendChild(note(reasons));
      main.appendChild(button(text("retry"), "outline-primary", () => retry(item)));
      main.appendChild(button(text("discard"), "outline-danger", () => discard(item)));
    }
    if (state === "conflict") main.appendChild(conflict(item));
    inner.appendChild(main);
    article.appendChild(inner);
    return article;
  }

  function note(message) {
    const p = document.createElement("p");
    p.className = "small text-danger mb-1";
    p.textContent = message;
    return p;
  }

  function conflict(item) {
    const box = document.createElement("div");
    box.className = "alert alert-warning py-2 mb-0 offline-choice";
    box.appendChild(Object.assign(document.createElement("p"), { className: "mb-1", textContent: text("conflict") }));
    const list = document.createElement("ul");
    list.className = "mb-1 ps-3";
    const theirs = item.conflict;
    const who = [theirs.changed_by, theirs.changed_on].filter(Boolean).join(", ");
    list.appendChild(Object.assign(document.createElement("li"), { textContent: `${text("mine")} ${item.summary.status}` }));
    list.appendChild(
      Object.assign(document.createElement("li"), { textContent: `${text("theirs")} ${theirs.status_display}${who ? ` (${who})` : ""}` }),
    );
    box.appendChild(list);
    box.appendChild(button(text("keep_mine"), "primary", () => keepMine(item)));
    box.appendChild(button(text("keep_theirs"), "outline-secondary", () => keepTheirs(item)));
    return box;
  }

  async function mine() {
    return (await queue.all()).filter((item) => String(item.account) === account);
  }

  async function render() {
    const items = await mine();
    document.querySelectorAll("[data-offline-count]").forEach((element) => {
      element.textContent = String(items.length);
    });
    const holder = document.getElementById("offline-pending");
    if (!holder) return;
    holder.replaceChildren(...items.filter((item) => item.page === location.pathname).map(card));
  }

  function showSent(item, answer) {
    if (item.kind === "entry" && item.page === location.pathname) {
      const sent = card({ ...item, state: "sent" });
      sent.querySelector(".small.text-muted").appendChild(badge(text("sent"), "success"));
      document.getElementById("entries")?.prepend(sent);
      const empty = document.getElementById("entries-empty");
      if (empty) empty.textContent = "";
    }
    if (item.kind === "goal_status" && answer) goalNow(answer);
  }

  // A goal as the server has it now: its badge, its version (the next change is made on it)
  // and the status shown in its form.
  function goalNow(answer) {
    const form = document.getElementById(`goal-status-${answer.goal}`);
    if (!form) return;
    form.querySelector("input[name=version]").value = answer.version;
    form.querySelector("select[name=to_status]").value = answer.status;
    const shown = form.querySelector(".goal-status");
    if (shown) {
      shown.className = `badge goal-status goal-status-${answer.status} align-self-start flex-shrink-0`;
      shown.textContent = answer.status_display;
    }
  }

  let flushing = null;
  async function flush() {
    if (!navigator.onLine) return;
    if (flushing) return flushing;
    flushing = (async () => {
      try {
        const results = await queue.flush(csrfToken(), account);
        results.forEach(([item, outcome]) => {
          if (outcome === "sent") showSent(item, item.answer);
        });
      } finally {
        flushing = null;
        await render();
      }
    })();
    return flushing;
  }

  async function add(item) {
    await queue.put(item);
    await render();
    const registration = await navigator.serviceWorker?.getRegistration();
    if (registration && registration.sync) {
      registration.sync.register(queue.SYNC_TAG).catch(() => {});
    }
  }

  async function retry(item) {
    await queue.put({ ...item, state: "waiting", errors: [] });
    await flush();
    await render();
  }

  async function discard(item) {
    if (!window.confirm(text("discard_ask"))) return;
    await queue.remove(item.uuid);
    await render();
  }

  async function keepMine(item) {
    // Made again, knowingly, on the goal as it is now.
    const fields = item.fields.map(([name, value]) => [name, name === "version" ? String(item.conflict.version) : value]);
    await queue.put({ ...item, fields, state: "waiting", conflict: null });
    await flush();
  }

  async function keepTheirs(item) {
    await queue.remove(item.uuid);
    goalNow(item.conflict);
    await render();
  }

  // --- making changes ------------------------------------------------------------------

  function fieldsOf(form) {
    const skip = new Set(["csrfmiddlewaretoken", "client_uuid", "made_at", "account"]);
    return [...new FormData(form)].filter(([name]) => !skip.has(name)).map(([n, v]) => [n, String(v)]);
  }

  async function queueEntry(form) {
    const made = new Date();
    const data = new FormData(form);
    await add({
      uuid: form.querySelector("input[name=client_uuid]").value || crypto.randomUUID(),
      kind: "entry",
      url: form.dataset.offlineSend,
      page: location.pathname,
      account,
      made_at: made.toISOString(),
      state: "waiting",
      fields: fieldsOf(form),
      summary: { text: String(data.get("text") || ""), wellbeing: String(data.get("wellbeing") || "") },
    });
    form.reset();
    newId(form);
    form.querySelector("[data-offline-queued]")?.removeAttribute("hidden");
  }

  async function queueGoalStatus(form) {
    const made = new Date();
    form.querySelector("input[name=on]").value = localDate(made);
    const select = form.querySelector("select[name=to_status]");
    await add({
      uuid: crypto.randomUUID(),
      kind: "goal_status",
      url: form.dataset.offlineGoal,
      page: location.pathname,
      account,
      made_at: made.toISOString(),
      state: "waiting",
      fields: fieldsOf(form),
      summary: { goal: form.dataset.goalTitle, status: select.options[select.selectedIndex].text },
    });
  }

  // Capture phase: runs before htmx's own handler on the form, which it can stop.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (form.id === "entry-form" && form.dataset.offlineSend) {
        if (!navigator.onLine) {
          event.preventDefault();
          event.stopImmediatePropagation();
          queueEntry(form);
        }
      } else if (form.dataset.offlineGoal) {
        event.preventDefault();
        queueGoalStatus(form).then(flush);
      }
    },
    true,
  );

  // Sent but no answer (a signal that drops halfway): queue it; its id keeps a resend single.
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt;
    if (form && form.id === "entry-form") queueEntry(form);
  });

  // A fresh entry form (after htmx swapped it in) gets a fresh id.
  document.addEventListener("htmx:load", (event) => {
    const form = event.detail.elt.id === "entry-form" ? event.detail.elt : event.detail.elt.querySelector?.("#entry-form");
    if (form) newId(form);
  });

  // --- leaving: logout and role switch -----------------------------------------------------

  document.addEventListener(
    "submit",
    async (event) => {
      const form = event.target;
      const leaving = form.dataset.offlineLeave;
      if (!leaving || form.dataset.offlineAsked) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (leaving === "logout") {
        const waiting = (await mine()).length;
        if (waiting > 0 && !window.confirm(form.dataset.offlineAsk.replace("__count__", waiting))) return;
        await queue.clear();
      }
      await queue.clearPages();
      localStorage.removeItem("maatwerq-offline-owner");
      form.dataset.offlineAsked = "yes";
      form.submit();
    },
    true,
  );

  // --- the limits: what waits and the storage used -------------------------------------------

  async function showStorage() {
    const element = document.querySelector("[data-offline-storage]");
    if (!element || !navigator.storage?.estimate) return;
    const { usage, quota } = await navigator.storage.estimate();
    const size = (bytes) =>
      new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 1 }).format(
        bytes / (1024 * 1024),
      ) + " MB";
    element.textContent = element.dataset.offlineStorageText.replace("__used__", size(usage)).replace("__quota__", size(quota));
  }

  // --- start ---------------------------------------------------------------------------------

  async function start() {
    await forgetPagesOfAnotherOwner();
    document.querySelectorAll("#entry-form").forEach(newId);
    // Logged in again: what waited for a login goes now.
    for (const item of await mine()) {
      if (item.state === "login") await queue.put({ ...item, state: "waiting" });
    }
    await render();
    await flush();
    showStorage();
    if ("serviceWorker" in navigator && body.dataset.offlineWorker) {
      // Without signal the worker already runs (it served this page); registering would only
      // fail to fetch it.
      if (navigator.onLine) {
        navigator.serviceWorker.register(body.dataset.offlineWorker, { scope: "/" }).catch(() => {});
      }
      navigator.serviceWorker.addEventListener("message", (event) => {
        if (event.data && event.data.type === "queue-changed") render();
      });
    }
  }

  window.addEventListener("online", flush);
  start();
})();
