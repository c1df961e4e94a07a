/** The toolbar popup: this page's application (or what a capture would save, to check first), what is due, the companion's state. */
import { activeTab, openOptions, t, tCount } from "../browser.js";
import { STATUSES, ask, formatDay, h, label, localize, phrase } from "../pages.js";

localize();

const POLL_MS = 2000; // while waiting for the companion to start, or for a pairing to be approved
const OFFER_MS = 300; // "I applied" shows by then from the page's own look, if Applied has not answered yet
const SNOOZE_DAYS = 3;

// ?tab=ID names the tab when the popup is opened as a page of its own (as the tests do);
// from the toolbar it is the active tab.
const tabId = Number(new URLSearchParams(location.search).get("tab")) || (await activeTab())?.id;
const $ = (id) => document.getElementById(id);
let timer = null;
let tracked = false; // the overview found this tab's application: no capture form any more
let answered = false; // the overview has been shown once
let offering = null; // the capture form being put on screen

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
  renderReplies(view);
  renderFollowups(view);
  if (view.refused) $("message").textContent = view.refused;
  answered = true;
  $("queued").textContent = view.queued ? tCount(view.queued, "popup_queued_one", "popup_queued_other") : "";
  if (["down", "pairing"].includes(view.connection.state)) timer = setTimeout(load, POLL_MS);
  document.body.dataset.state = view.connection.state; // lets a test (or a stylesheet) see the state
  return view;
}

function renderConnection({ connection, queued }) {
  const box = $("connection");
  if (connection.state === "ok") return box.replaceChildren();
  if (connection.state === "down") {
    return box.replaceChildren(h("div", { className: "notice" },
      h("p", {}, h("strong", {}, t(connection.command ? "popup_not_running" : "popup_could_not_start"))),
      connection.command
        ? h("p", {}, phrase("popup_start_in_terminal", h("code", { id: "start-command" }, connection.command)))
        : h("p", { id: "start-problem" }, connection.message),
      queued ? h("p", { className: "muted" }, t("popup_queue_kept")) : null));
  }
  if (connection.state === "pairing") {
    return box.replaceChildren(h("div", { className: "notice" },
      h("p", {}, connection.message),
      connection.pairing?.code ? h("p", {}, phrase("common_code", h("code", {}, connection.pairing.code))) : null,
      h("div", { className: "row" }, h("button", { onclick: () => ask("cancelPairing").then(load) }, t("popup_cancel")))));
  }
  const pair = h("button", { id: "pair", className: "primary", onclick: () => act(pair, () => ask("pair")) },
    connection.state === "unpaired" && connection.again ? t("common_pair_again") : t("common_pair"));
  box.replaceChildren(h("div", { className: `notice${connection.state === "error" ? " error" : ""}` },
    h("p", {}, connection.message), connection.state === "unpaired" ? pair : null));
}

/** Replace a box's content; what is absent (null, undefined, false) shows as nothing, never as "null". */
const fill = (box, ...children) => box.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));

function renderPage({ page, connection, webview }) {
  const box = $("page");
  if (!page?.capturable) {
    return fill(box, h("p", { className: "muted" }, t("popup_open_posting")));
  }
  const app = page.application;
  tracked = Boolean(app);
  if (!app && page.queued) return renderQueued(box, page);
  if (!app) {
    if (!["ok", "down"].includes(connection.state) && !$("details")) return fill(box);
    if ($("details") || $("not-posting")) return; // on screen already: keep what the person is typing while the popup polls
    offering ??= offerCapture(box).finally(() => { offering = null; });
    return offering;
  }
  const allowed = app.allowed_moves || STATUSES;
  const select = h("select", { id: "app-status", "aria-label": t("popup_status_label") },
    [app.status, ...allowed.filter((s) => s !== app.status)].map((s) => h("option", { value: s }, label(s))));
  select.value = app.status;
  select.addEventListener("change", () => act(select, () => ask("setStatus", { applicationId: app.id, status: select.value, tabId })));
  const next = page.next_followup;
  const checking = Boolean(page.review) || page.openReview;
  const edit = h("button", { id: "edit", type: "button" }, t("popup_edit"));
  const form = detailsForm(app, page.review || [], async (fields, button) => {
    await act(button, () => ask("saveFields", { applicationId: app.id, fields, tabId }), t("common_saving"));
  });
  form.hidden = !checking;
  const documents = page.files?.length ? h("div", { id: "documents" }) : null;
  edit.addEventListener("click", () => { form.hidden = !form.hidden; });
  fill(box,
    checking ? h("p", { className: "notice", id: "review-note" }, t("popup_review_note")) : null,
    page.remembered
      ? h("p", { className: "muted", id: "remembered" }, t(page.remembered.inherited ? "popup_remembered_new_tab" : "popup_remembered"))
      : null,
    h("h2", { id: "app-title" }, app.title || page.title || page.url),
    app.company ? h("div", { id: "app-company" }, app.company) : null,
    h("div", { className: "row" }, select, app.applied_at ? h("span", { className: "muted" }, t("popup_applied_on", formatDay(app.applied_at))) : null,
      checking ? null : edit),
    next ? h("p", { id: "next-followup" }, next.title
      ? phrase("popup_follow_up_titled", h("time", { dateTime: next.due }, formatDay(next.due)), next.title)
      : phrase("popup_follow_up", h("time", { dateTime: next.due }, formatDay(next.due))))
      : h("p", { className: "muted" }, t("popup_no_followup")),
    form,
    documents,
  );
  if (documents) renderOffers(documents, app.id, webview);
  if (checking) {
    const why = app.review?.needed ? app.review : null;
    if (why) fill($("review-note"), reviewWords(why));
    (form.querySelector("input.missing") || form.querySelector("input"))?.focus(); // the first field to fix
  }
}

const REVIEW_WORDS = {
  missing: { title: "popup_missing_title", company: "popup_missing_company" },
  guessed: { title: "popup_guessed_title", company: "popup_guessed_company" },
};

/** What to check, field by field: "We could not read the company: please check." (else the general note). */
function reviewWords({ missing = [], guessed = [] }) {
  const keys = [...missing.map((field) => REVIEW_WORDS.missing[field]), ...guessed.map((field) => REVIEW_WORDS.guessed[field])];
  const said = keys.filter(Boolean).map((key) => t(key));
  return said.length ? said.join(" ") : t("popup_review_note");
}

/** A capture of this page waiting in the outbox: what it will be sent as, and no second "I applied". */
function renderQueued(box, { queued, title, url }) {
  const where = [label(queued.status), queued.location].filter(Boolean).join(" · ");
  fill(box,
    h("p", { className: "notice", id: "queued-note" },
      t(queued.reason === "unpaired" ? "popup_queued_here_unpaired" : "popup_queued_here_down")),
    h("h2", { id: "app-title" }, queued.title || title || url),
    queued.company ? h("div", { id: "app-company" }, queued.company) : null,
    h("p", { className: "muted", id: "queued-as" }, where));
}

const LINK_QUESTION = { resume: "popup_link_resume", cover_letter: "popup_link_cover_letter" }; // any other kind: popup_link_document

/** The files picked in this tab's forms: link the stored document of each name, or say where to add it. */
async function renderOffers(box, applicationId, webview) {
  let offers;
  try {
    offers = await ask("documentOffers", { tabId, applicationId });
  } catch (error) {
    return fill(box, h("p", { className: "muted" }, t("popup_offers_failed", error.message)));
  }
  const items = offers.filter((offer) => !offer.linked).map((offer) => {
    if (!offer.document) {
      return h("li", { className: "missing-document" }, phrase("popup_missing_document", offer.name,
        h("a", { href: `${webview}/documents`, target: "_blank", rel: "noopener" }, t("popup_documents_link"))));
    }
    const { id, name, kind } = offer.document;
    const item = h("li", { className: "offer", "data-document": id });
    const link = h("button", { type: "button", className: "link-document" }, t("popup_link"));
    link.addEventListener("click", async () => {
      link.disabled = true;
      try {
        await ask("linkDocument", { applicationId, documentId: id });
        fill(item, h("span", { className: "linked" }, t("popup_linked", name)));
      } catch (error) {
        link.disabled = false;
        $("message").textContent = error.message;
      }
    });
    fill(item, h("span", {}, t(LINK_QUESTION[kind] || "popup_link_document", name)), " ", link);
    return item;
  });
  fill(box, items.length ? h("ul", { className: "offers" }, items) : null);
}

/** Title, company and location as editable fields; `missing` ones are marked. onSave(fields, button). */
function detailsForm(values, missing, onSave, { buttons } = {}) {
  const field = (name, text, value) => h("label", {}, text,
    h("input", { id: `field-${name}`, name, value: value || "", className: missing.includes(name) ? "missing" : "",
                 autocomplete: "off", maxLength: 500 }));
  const location = values.location ?? (values.locations || [])[0] ?? "";
  const form = h("form", { id: "details", className: "details" },
    field("title", t("field_title"), values.title), field("company", t("field_company"), values.company),
    field("location", t("field_location"), location),
    buttons || h("div", { className: "row" }, h("button", { type: "submit", id: "save-fields", className: "primary" }, t("common_save"))));
  const read = () => Object.fromEntries(["title", "company", "location"].map((name) => [name, form.elements[name].value]));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onSave(read(), event.submitter || form.querySelector("button"));
  });
  form.read = read;
  return form;
}

/**
 * An untracked page: what would be saved, as fields to check, and "I applied" / "Save for later".
 * The page's own look comes first (it answers at once); Applied's reading of the page then fills
 * in the fields the person has not touched, and gives the verdict a capture would reach: a page
 * that is no posting is asked about ("Log it anyway?"). A slow or failing reading never takes the
 * buttons away.
 */
async function offerCapture(box) {
  let page;
  try {
    page = await ask("pageOfTab", { tabId });
  } catch (error) {
    return fill(box, h("p", { className: "notice error" }, error.message));
  }
  if (tracked || $("details") || $("not-posting") || $("queued-note")) return; // the overview got there first
  // checked: the fields the person has seen Applied's reading of, or typed in; the page's own first look
  // (its tab title) is only a placeholder, which Applied's reading of the page replaces when saved.
  const state = { anyway: false, touched: new Set(), checked: new Set() };
  const save = (status) => async (event) => {
    const button = event.currentTarget;
    const values = form.read();
    const fields = Object.fromEntries(Object.entries(values).filter(([name]) => state.checked.has(name) || state.touched.has(name)));
    // The location only when typed in: the field shows one place, and the posting may name several.
    const location = state.touched.has("location") ? values.location : undefined;
    await act(button, () => ask("captureFromPopup", { tabId, status, fields, location, anyway: state.anyway }),
              t("common_saving"));
  };
  const applied = h("button", { id: "capture", type: "button", className: "primary", onclick: save("applied") }, t("common_i_applied"));
  const later = h("button", { id: "save-later", type: "button", onclick: save("saved") }, t("popup_save_later"));
  const form = detailsForm(page, [], () => applied.click(), { buttons: h("div", { className: "row" }, applied, later) });
  for (const type of ["input", "keydown", "paste"]) form.addEventListener(type, (event) => state.touched.add(event.target.name));
  // Which posting an apply step logs, said as it is: a form or a thank-you page, in this tab or one opened from it.
  const stepNote = page.confirmation
    ? (page.inherited ? "popup_confirmation_note_new_tab" : "popup_confirmation_note")
    : (page.inherited ? "popup_step_note_new_tab" : "popup_step_note");
  const intro = page.step
    ? h("p", { className: "muted", id: "page-note" }, t(stepNote))
    : h("p", { className: "muted", id: "page-note" }, t(page.button ? "popup_check_before" : "popup_no_button"));
  const showForm = () => {
    fill(box, intro, form);
    performance.mark("applied:offered"); // "I applied" is on screen (a test reads when)
  };
  const askFirst = () => { // Not a posting, as far as Applied can tell: ask before anything can be saved.
    const anyway = h("button", { id: "log-anyway", type: "button", className: "primary" }, t("popup_log_anyway"));
    anyway.addEventListener("click", () => {
      state.anyway = true;
      intro.textContent = t("popup_check_first");
      showForm();
    });
    fill(box, h("div", { className: "notice", id: "not-posting" },
      h("p", {}, t("common_not_posting")), h("div", { className: "row" }, anyway)));
    performance.mark("applied:offered");
  };
  if (page.looks_like_posting) showForm();
  else askFirst();
  form.ask = askFirst;
  let preview;
  try {
    preview = await ask("previewTab", { tabId });
  } catch (error) {
    if (form.isConnected) $("note").textContent = t("popup_preview_unavailable");
    document.body.dataset.preview = "unavailable";
    return;
  }
  if (tracked || $("queued-note") || !box.contains(form) && !$("not-posting")) return;
  for (const name of ["title", "company", "location"]) {
    const field = form.elements[name];
    if (!state.touched.has(name) && document.activeElement !== field && preview[name]) field.value = preview[name];
    field.classList.toggle("missing", [...preview.missing, ...preview.guessed].includes(name));
    state.checked.add(name);
  }
  if (preview.looks_like_posting && $("not-posting") && !state.anyway) showForm(); // the page's look doubted it; Applied reads a posting
  else if (!preview.looks_like_posting && !state.anyway && !state.touched.size && box.contains(form)) askFirst();
  document.body.dataset.preview = "read"; // Applied's reading is on screen (a test waits for it)
}

/** "N replies to review": what was read from the person's mail waits on the web view's Replies page. */
function renderReplies({ replies, webview }) {
  const box = $("replies");
  if (!replies) return fill(box);
  fill(box, h("p", {}, h("a", { id: "replies-link", href: `${webview}/replies`, target: "_blank", rel: "noopener" },
    tCount(replies, "popup_replies_one", "popup_replies_other"))));
}

function renderFollowups({ followups, webview }) {
  const box = $("followups");
  if (!followups) return fill(box);
  const items = followups.items || [];
  const all = h("a", { id: "all-due", href: `${webview}/`, target: "_blank", rel: "noopener" },
    followups.count > items.length ? t("popup_see_all", followups.count) : t("popup_open_due"));
  if (!followups.count) return fill(box, h("h2", {}, t("popup_due")), h("p", { className: "muted" }, t("popup_nothing_due")));
  const overdue = followups.overdue ? ` · ${t("popup_overdue_count", followups.overdue)}` : "";
  fill(box, h("h2", { id: "due-count" }, t("popup_due_count", followups.count) + overdue), h("ul", { id: "due" }, items.map((f) => {
    if (f.kind === "catch_up") return catchUpItem(f);
    const who = f.followup
      ? [f.application_title || f.application?.title, f.company || f.application?.company].filter(Boolean).join(" · ")
      : f.who;
    const done = h("button", { className: "done" }, t("popup_done"));
    const run = (button, action) => act(button, () => ask("followupAction", f.followup
      ? { applicationId: f.application_id, key: f.key, action, days: SNOOZE_DAYS }
      : { contactId: f.contact_id, key: f.key, action: "done" }));
    done.addEventListener("click", () => run(done, "done"));
    let snooze = null;
    if (f.followup) {
      snooze = h("button", { className: "snooze", title: t("popup_snooze_title", SNOOZE_DAYS) }, t("popup_snooze"));
      snooze.addEventListener("click", () => run(snooze, "snooze"));
    }
    return h("li", { "data-key": f.key, "data-application": f.application_id ?? "", "data-contact": f.contact_id ?? "" },
      h("div", {}, f.title || f.kind), who ? h("div", { className: "muted" }, who) : null,
      h("div", { className: "row" },
        h("span", { className: f.overdue ? "overdue when" : "muted when" }, f.overdue ? t("popup_overdue_since", formatDay(f.due)) : t("popup_due_today")),
        done, snooze));
  })), h("p", {}, all));
}

/** What fell due before an import, as one entry: dismissed at once (one by one in Applied). */
function catchUpItem(f) {
  const dismiss = h("button", { className: "dismiss-all" }, t("popup_catch_up_dismiss"));
  dismiss.addEventListener("click", () => act(dismiss, () => ask("followupAction", { catchUp: true, action: "dismiss" })));
  return h("li", { "data-key": f.key, className: "catch-up" },
    h("div", {}, tCount(f.count, "popup_catch_up_one", "popup_catch_up_other")),
    h("div", { className: "row" }, h("span", { className: "muted when" }, t("popup_catch_up_when")), dismiss));
}

/** Run an action from a control, then show the new state, and the action's error if it failed. */
async function act(control, action, busyText) {
  const idle = control.textContent;
  control.disabled = true;
  if (busyText) control.textContent = busyText;
  let problem = "";
  let note = "";
  try {
    const result = await action();
    if (result?.state === "error") problem = result.message;
    else if (result?.state === "confirm") {
      // Applied read no posting on the page: the question first, the fields kept for the answer.
      control.disabled = false;
      control.textContent = idle;
      control.closest("form")?.ask?.();
      return;
    }
    // Never a silent warning: a capture kept with something to check, or waiting to be sent, says so.
    else if (result?.state === "queued") note = result.message ? t("popup_kept", result.message) : "";
    else if (result?.review?.needed) note = result.message || t("popup_saved_check");
  } catch (error) {
    problem = error.message;
  }
  const view = await load();
  $("message").textContent = problem || view?.refused || ""; // a refused capture is told once: keep it
  $("note").textContent = problem ? "" : note;
}

$("options").addEventListener("click", (event) => {
  event.preventDefault();
  openOptions();
});
// Opened by the worker: signed in where the browser can start Applied's host, and started if it was not running.
$("webview").addEventListener("click", (event) => {
  event.preventDefault();
  ask("openWebview").then(() => window.close(), (error) => { $("message").textContent = error.message; });
});
const loaded = load();
// "I applied" at once whatever Applied does: when it has not answered within OFFER_MS (still starting,
// or busy), the page's own look offers the capture, and Applied's reading refines it when it comes.
Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, OFFER_MS))]).then(() => {
  if (!answered && !tracked) offering ??= offerCapture($("page")).finally(() => { offering = null; });
});
