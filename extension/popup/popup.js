/** The toolbar popup: this page's application (or "I applied"), today's follow-ups, the companion's state. */
import { activeTab, openOptions } from "../browser.js";
import { STATUSES, ask, formatDay, h, label } from "../pages.js";

const POLL_MS = 2000; // while waiting for the companion to start, or for a pairing to be approved
const SNOOZE_DAYS = 3;

// ?tab=ID names the tab when the popup is opened as a page of its own (as the tests do);
// from the toolbar it is the active tab.
const tabId = Number(new URLSearchParams(location.search).get("tab")) || (await activeTab())?.id;
const $ = (id) => document.getElementById(id);
let timer = null;

/** Show the overview; returns it (null when the worker failed to answer). */
async function load() {
  clearTimeout(timer);
  let view;
  try {
    view = await ask("overview", { tabId });
  } catch (error) {
    $("connection").replaceChildren(h("p", { className: "notice error" }, error.message));
    return null;
  }
  $("webview").href = view.webview + "/";
  renderConnection(view);
  renderPage(view);
  renderFollowups(view);
  if (view.refused) $("message").textContent = view.refused;
  $("queued").textContent = view.queued ? `${view.queued} capture${view.queued === 1 ? "" : "s"} waiting to be sent` : "";
  if (["down", "pairing"].includes(view.connection.state)) timer = setTimeout(load, POLL_MS);
  document.body.dataset.state = view.connection.state; // lets a test (or a stylesheet) see the state
  return view;
}

function renderConnection({ connection, queued }) {
  const box = $("connection");
  if (connection.state === "ok") return box.replaceChildren();
  if (connection.state === "down") {
    return box.replaceChildren(h("div", { className: "notice" },
      h("p", {}, h("strong", {}, "Applied is not running.")),
      h("p", {}, "Start it in a terminal: ", h("code", { id: "start-command" }, connection.command)),
      queued ? h("p", { className: "muted" }, "Your captures are kept here and sent when it is back.") : null));
  }
  if (connection.state === "pairing") {
    return box.replaceChildren(h("div", { className: "notice" },
      h("p", {}, connection.message),
      connection.pairing?.code ? h("p", {}, "Code: ", h("code", {}, connection.pairing.code)) : null,
      h("div", { className: "row" }, h("button", { onclick: () => ask("cancelPairing").then(load) }, "Cancel"))));
  }
  const pair = h("button", { id: "pair", className: "primary", onclick: () => act(pair, () => ask("pair")) },
    connection.state === "unpaired" && /again/.test(connection.message) ? "Pair again" : "Pair with Applied");
  box.replaceChildren(h("div", { className: `notice${connection.state === "error" ? " error" : ""}` },
    h("p", {}, connection.message), connection.state === "unpaired" ? pair : null));
}

function renderPage({ page, connection }) {
  const box = $("page");
  if (!page?.capturable) {
    return box.replaceChildren(h("p", { className: "muted" }, "Open a job posting to log your application."));
  }
  const app = page.application;
  if (!app) {
    if (!["ok", "down"].includes(connection.state)) return box.replaceChildren();
    const button = h("button", { id: "capture", className: "primary" }, "I applied");
    button.addEventListener("click", () => act(button, () => ask("captureTab", { tabId }), "Saving…"));
    return box.replaceChildren(h("p", { className: "muted" }, page.title || page.url), button);
  }
  const allowed = app.allowed_moves || STATUSES;
  const select = h("select", { id: "app-status", "aria-label": "Status" },
    [app.status, ...allowed.filter((s) => s !== app.status)].map((s) => h("option", { value: s }, label(s))));
  select.value = app.status;
  select.addEventListener("change", () => act(select, () => ask("setStatus", { applicationId: app.id, status: select.value, tabId })));
  const next = page.next_followup;
  box.replaceChildren(
    h("h2", { id: "app-title" }, app.title || page.title || page.url),
    app.company ? h("div", { id: "app-company" }, app.company) : null,
    h("div", { className: "row" }, select, app.applied_at ? h("span", { className: "muted" }, `applied ${formatDay(app.applied_at)}`) : null),
    next ? h("p", { id: "next-followup" }, "Follow up ", h("time", { dateTime: next.due }, formatDay(next.due)),
      next.title ? `: ${next.title}` : "") : h("p", { className: "muted" }, "No follow-up planned."),
  );
}

function renderFollowups({ followups }) {
  const box = $("followups");
  if (!followups) return box.replaceChildren();
  const items = followups.followups || [];
  if (!items.length) return box.replaceChildren(h("h2", {}, "Follow-ups"), h("p", { className: "muted" }, "Nothing due today."));
  box.replaceChildren(h("h2", {}, `Due today (${items.length})`), h("ul", { id: "due" }, items.map((f) => {
    const who = [f.application_title || f.application?.title, f.company || f.application?.company].filter(Boolean).join(" · ");
    const done = h("button", { className: "done" }, "Done");
    const snooze = h("button", { className: "snooze", title: `Remind me in ${SNOOZE_DAYS} days` }, "Snooze");
    const run = (button, action) => act(button, () => ask("followupAction", { applicationId: f.application_id, key: f.key, action, days: SNOOZE_DAYS }));
    done.addEventListener("click", () => run(done, "done"));
    snooze.addEventListener("click", () => run(snooze, "snooze"));
    return h("li", { "data-key": f.key, "data-application": f.application_id },
      h("div", {}, f.title || f.kind), who ? h("div", { className: "muted" }, who) : null,
      h("div", { className: "row" }, h("span", { className: f.overdue ? "overdue" : "muted" }, formatDay(f.due)), done, snooze));
  })));
}

/** Run an action from a control, then show the new state, and the action's error if it failed. */
async function act(control, action, busyText) {
  control.disabled = true;
  if (busyText) control.textContent = busyText;
  let problem = "";
  try {
    const result = await action();
    if (result?.state === "error") problem = result.message;
  } catch (error) {
    problem = error.message;
  }
  const view = await load();
  $("message").textContent = problem || view?.refused || ""; // a refused capture is told once: keep it
}

$("options").addEventListener("click", (event) => {
  event.preventDefault();
  openOptions();
});
load();
