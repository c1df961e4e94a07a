// The web view's one script: every button and form that changes something talks to the JSON API.
//
// No inline scripts or handlers are allowed (the CSP says script-src 'self'), so pages describe
// what an element does with data attributes and this module wires them up:
//   <button data-api="POST /api/..." data-body='{"..."}' data-confirm="..." data-then="reload|go:/url|remove">
//   <form data-api="PATCH /api/..." data-then="go:/applications/{application.id}">
// Form fields become a JSON object; data-type on a field says how to read it (int, number, list,
// bool, ids, notes, lines: one item a line). Errors are shown next to the form, in the API's own words.

const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
const NOTICE_KEY = "applied-notice";
const FOCUS_KEY = "applied-focus";

export async function api(method, path, body) {
  const options = { method, headers: { "X-CSRF-Token": csrf, Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new Error("Applied did not answer: is the companion still running? Start it with `applied serve`.");
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = data?.error?.message || `the companion answered ${response.status}`;
    // Capitalise a sentence, but not a field name the message starts with (max_checkins must be...).
    const first = message.split(" ")[0];
    const error = new Error(first.includes("_") ? message : message.charAt(0).toUpperCase() + message.slice(1));
    error.status = response.status;
    error.code = data?.error?.code;
    error.data = data;
    throw error;
  }
  return data;
}

export function notify(message, kind = "ok") {
  let box = document.getElementById("notice");
  if (!box) {
    box = document.createElement("div");
    box.id = "notice";
    document.body.append(box);
  }
  box.className = `notice ${kind}`;
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  box.textContent = message;
  box.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { box.hidden = true; }, kind === "error" ? 9000 : 4000);
}

// A message that survives the reload that follows most changes.
function notifyAfterReload(message) {
  if (message) sessionStorage.setItem(NOTICE_KEY, message);
}

function lookup(data, dotted) {
  return dotted.split(".").reduce((value, key) => (value == null ? undefined : value[key]), data);
}

function fill(template, data) {
  return template.replace(/\{([\w.]+)\}/g, (_, key) => encodeURIComponent(lookup(data, key) ?? ""));
}

// Notes are plain text in the textarea and sanitized HTML in the store: escape, keep line breaks.
export function textToHtml(text) {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return escaped.replace(/\r?\n/g, "<br>");
}

function readField(field) {
  const type = field.dataset.type;
  if (field.type === "checkbox" && type !== "list") return field.checked;
  if (field.tagName === "SELECT" && field.multiple) {
    const values = [...field.selectedOptions].map((option) => option.value);
    return type === "ids" ? values.map(Number) : values;
  }
  const raw = field.value;
  const value = raw.trim();
  switch (type) {
    case "int":
    case "number": {
      if (value === "") return null;
      const number = Number(value);
      return Number.isFinite(number) ? number : value;
    }
    case "list":
      return value.split(/[,\n]/).map((item) => item.trim()).filter(Boolean);
    case "lines":
      return value.split(/\r?\n/).map((item) => item.trim()).filter(Boolean);
    case "ids":
      return value.split(/[,\s]+/).filter(Boolean).map(Number);
    case "notes":
      return textToHtml(raw.trim());
    case "text":
      return value;
    default:
      return value === "" ? null : value;
  }
}

function changed(field) {
  if (field.tagName === "SELECT") return [...field.options].some((option) => option.selected !== option.defaultSelected);
  if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
  return field.value !== field.defaultValue;
}

export function formPayload(form) {
  const payload = form.dataset.extra ? JSON.parse(form.dataset.extra) : {};
  // Send only what the person changed where that matters (a corrected field is kept from re-extraction).
  const onlyChanged = "changedOnly" in form.dataset;
  for (const field of form.elements) {
    if (!field.name || field.disabled || field.type === "submit" || field.name === "csrf_token") continue;
    if (onlyChanged && !changed(field)) continue;
    if (field.type === "checkbox" && (field.dataset.type === "list" || field.dataset.type === "idlist")) {
      payload[field.name] = payload[field.name] || [];
      if (field.checked) payload[field.name].push(field.dataset.type === "idlist" ? Number(field.value) : field.value);
      continue;
    }
    if (field.type === "radio") {
      if (field.checked) payload[field.name] = field.value;
      continue;
    }
    const value = readField(field);
    if (value === null && "omitEmpty" in field.dataset) continue;
    payload[field.name] = value;
  }
  return payload;
}

function after(element, data) {
  const then = element.dataset.then || "reload";
  notifyAfterReload(element.dataset.done);
  // Where a keyboard user was, found again after the reload (a moved card's Move menu, in its new column).
  if (element.dataset.refocus) sessionStorage.setItem(FOCUS_KEY, element.dataset.refocus);
  if (then === "reload") {
    window.location.reload();
  } else if (then.startsWith("go:")) {
    window.location.assign(fill(then.slice(3), data || {}));
  } else if (then === "remove") {
    const target = element.closest("[data-removable]") || element;
    target.remove();
    if (element.dataset.done) notify(element.dataset.done);
    sessionStorage.removeItem(NOTICE_KEY);
  }
}

function splitAction(spec) {
  const [method, ...rest] = spec.trim().split(/\s+/);
  return [method.toUpperCase(), rest.join(" ")];
}

function showError(element, error) {
  const box = element.querySelector?.(".form-error") || element.closest("[data-error-box]")?.querySelector(".form-error");
  if (box) {
    box.textContent = error.message;
  } else {
    notify(error.message, "error");
  }
}

async function runButton(button) {
  if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
  const [method, path] = splitAction(button.dataset.api);
  let body = button.dataset.body ? JSON.parse(button.dataset.body) : undefined;
  if (body === undefined && method !== "GET" && method !== "DELETE") body = {};
  button.disabled = true;
  try {
    const data = await api(method, path, body);
    after(button, data);
  } catch (error) {
    showError(button, error);
  } finally {
    button.disabled = false;
  }
}

async function runForm(form) {
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
  const [method, path] = splitAction(form.dataset.api);
  const errorBox = form.querySelector(".form-error");
  if (errorBox) errorBox.textContent = "";
  const submit = form.querySelector('[type="submit"]');
  if (submit) submit.disabled = true;
  try {
    const payload = method === "DELETE" ? undefined : formPayload(form);
    if (payload && "changedOnly" in form.dataset && !Object.keys(payload).length) {
      throw new Error("Nothing was changed.");
    }
    const data = await api(method, path, payload);
    if (data?.duplicate) notifyAfterReload("You had already saved this posting: here it is.");
    after(form, data);
  } catch (error) {
    // A capture the companion kept although it found no posting on the page: open it anyway.
    if (error.data?.application?.id && form.dataset.then?.startsWith("go:")) {
      notifyAfterReload(error.message);
      window.location.assign(fill(form.dataset.then.slice(3), error.data));
      return;
    }
    if (error.status === 404 && form.dataset.missing) {
      form.closest("[data-feature]")?.setAttribute("hidden", "");
      notify(form.dataset.missing, "error");
      return;
    }
    showError(form, error);
  } finally {
    if (submit) submit.disabled = false;
  }
}

async function copy(button) {
  const source = document.getElementById(button.dataset.copy);
  const text = source ? source.innerText : "";
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  const label = button.textContent;
  button.textContent = "Copied";
  setTimeout(() => { button.textContent = label; }, 1500);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-api]");
  if (button) {
    event.preventDefault();
    runButton(button);
    return;
  }
  const copier = event.target.closest("button[data-copy]");
  if (copier) {
    event.preventDefault();
    copy(copier);
  }
});

// Plain HTML forms (sign out) go through fetch too: a submitted form would carry "Origin: null"
// under the no-referrer policy, and the companion refuses that as a foreign page.
async function postForm(form) {
  const response = await fetch(form.action, {
    method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin",
    headers: { "X-CSRF-Token": csrf },
  });
  window.location.assign(response.url);
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-api], form[data-post]");
  if (!form) return;
  event.preventDefault();
  if (form.matches("[data-post]")) {
    postForm(form).catch(() => notify("Applied did not answer: is the companion still running?", "error"));
  } else {
    runForm(form);
  }
});

// A picker's search box narrows its list of checkboxes (the ticked ones always stay in view).
document.addEventListener("input", (event) => {
  if (!event.target.matches("[data-picker-search]")) return;
  const picker = event.target.closest("[data-picker]");
  const words = event.target.value.trim().toLowerCase();
  let shown = 0;
  for (const item of picker.querySelectorAll(".picker-list li")) {
    const box = item.querySelector("input[type=checkbox]");
    const visible = !words || box?.checked || item.textContent.toLowerCase().includes(words);
    item.hidden = !visible;
    if (visible) shown += 1;
  }
  picker.querySelector("[data-picker-none]").hidden = shown > 0;
});

// Filters that apply as soon as they change (the form still works with its button without JS).
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
});

for (const input of document.querySelectorAll("input[type=date][data-default-today]")) {
  if (!input.value) {
    const now = new Date();
    input.value = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }
}

// -- selecting several, then acting on them all in one request ------------------------------------

function selectedValues() {
  return [...document.querySelectorAll("[data-bulk-scope] input[data-select]:checked")].map((box) => box.value);
}

function refreshBulkBars() {
  const chosen = selectedValues();
  for (const bar of document.querySelectorAll("form[data-bulk]")) {
    bar.hidden = false; // it needs this script: without it the bar stays hidden
    const count = bar.querySelector("[data-bulk-count]");
    if (count) count.textContent = chosen.length ? `${chosen.length} selected` : "None selected";
    for (const control of bar.querySelectorAll("button, select")) control.disabled = !chosen.length;
  }
  for (const all of document.querySelectorAll("input[data-select-all]")) {
    const boxes = [...document.querySelectorAll("[data-bulk-scope] input[data-select]")];
    all.checked = boxes.length > 0 && boxes.every((box) => box.checked);
  }
}

function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

function bulkSummary(result, did) {
  let text = did(result.changed.length);
  const skipped = result.skipped;
  if (skipped.length) text += ` ${skipped.length} not changed: ${skipped[0].message}${skipped.length > 1 ? ", …" : "."}`;
  return text;
}

const APPLICATION_ACTIONS = {
  ghosted: (n) => `Marked ${plural(n, "application")} as ghosted.`,
  archived: (n) => `Archived ${plural(n, "application")}.`,
  delete: (n) => `Deleted ${plural(n, "application")}.`,
};

async function runBulk(bar, action) {
  const values = selectedValues();
  if (!values.length) return;
  const errorBox = bar.querySelector(".form-error");
  if (errorBox) errorBox.textContent = "";
  let path, body, did;
  if (bar.dataset.bulk === "followups") {
    if (action === "ghosted") {
      const ids = [...new Set(values.map((value) => Number(value.split("/")[0])))];
      path = "/api/applications/bulk";
      body = { ids, action: "move", status: "ghosted" };
      did = APPLICATION_ACTIONS.ghosted;
    } else {
      const [verb, days] = action.split("-");
      path = "/api/followups/bulk";
      body = { action: verb, items: values.map((value) => {
        const [id, ...key] = value.split("/");
        return { application_id: Number(id), key: key.join("/") };
      }) };
      if (days) body.days = Number(days);
      const words = { done: "Marked {n} as done.", dismiss: "Dismissed {n}.", snooze: `Snoozed {n} for ${plural(Number(days), "day")}.` };
      did = (n) => words[verb].replace("{n}", plural(n, "follow-up"));
    }
  } else {
    const ids = values.map(Number);
    path = "/api/applications/bulk";
    if (action === "delete") {
      if (!window.confirm(`Delete ${plural(ids.length, "application")}, with their notes, history and captured pages? This cannot be undone.`)) return;
      body = { ids, action: "delete" };
    } else {
      const status = action === "move" ? bar.querySelector("select[name=status]").value : action;
      if (!status) {
        showError(bar, new Error("Choose the status to move them to."));
        return;
      }
      body = { ids, action: "move", status };
    }
    did = APPLICATION_ACTIONS[action] || ((n) => `Moved ${plural(n, "application")} to ${body.status}.`);
  }
  try {
    const result = await api("POST", path, body);
    notifyAfterReload(bulkSummary(result, did));
    window.location.reload();
  } catch (error) {
    showError(bar, error);
  }
}

document.addEventListener("change", (event) => {
  if (event.target.matches("input[data-select-all]")) {
    for (const box of document.querySelectorAll("[data-bulk-scope] input[data-select]")) box.checked = event.target.checked;
  }
  if (event.target.matches("input[data-select], input[data-select-all]")) refreshBulkBars();
});

document.addEventListener("click", (event) => {
  const trigger = event.target.closest("form[data-bulk] [data-bulk-action]");
  if (trigger) {
    event.preventDefault();
    runBulk(trigger.closest("form[data-bulk]"), trigger.dataset.bulkAction);
    return;
  }
  if (event.target.closest("form[data-bulk] [data-bulk-clear]")) {
    for (const box of document.querySelectorAll("[data-bulk-scope] input[data-select]:checked")) box.checked = false;
    refreshBulkBars();
  }
});

document.addEventListener("submit", (event) => {
  const bar = event.target.closest("form[data-bulk]");
  if (!bar) return;
  event.preventDefault();
  runBulk(bar, "move");
});

refreshBulkBars();

// -- the board: drag a card to another column (each card's Move menu does the same by keyboard) -----

let dragged = null;

function dropColumn(event) {
  const column = event.target.closest?.("[data-column]");
  if (!column || !dragged) return null;
  const allowed = (dragged.dataset.moves || "").split(" ");
  return allowed.includes(column.dataset.column) ? column : null;
}

document.addEventListener("dragstart", (event) => {
  const card = event.target.closest?.(".board-card");
  if (!card) return;
  dragged = card;
  event.dataTransfer.setData("text/plain", card.dataset.id);
  event.dataTransfer.effectAllowed = "move";
  card.classList.add("dragging");
  for (const column of document.querySelectorAll("[data-column]")) {
    column.classList.toggle("can-drop", (card.dataset.moves || "").split(" ").includes(column.dataset.column));
  }
});

document.addEventListener("dragend", () => {
  dragged?.classList.remove("dragging");
  dragged = null;
  for (const column of document.querySelectorAll("[data-column]")) column.classList.remove("can-drop", "drop-target");
});

document.addEventListener("dragover", (event) => {
  const column = dropColumn(event);
  for (const other of document.querySelectorAll(".drop-target")) if (other !== column) other.classList.remove("drop-target");
  if (!column) return;
  event.preventDefault(); // this column takes the card
  event.dataTransfer.dropEffect = "move";
  column.classList.add("drop-target");
});

async function moveCard(card, status, refocus) {
  try {
    await api("PATCH", `/api/applications/${card.dataset.id}`, { status });
    notifyAfterReload(`Moved to ${status}.`);
    // Where a keyboard user was, found again after the reload: the card's Move menu, in its new column.
    if (refocus) sessionStorage.setItem(FOCUS_KEY, `move-${card.dataset.id}`);
    window.location.reload();
  } catch (error) {
    showError(card, error);
  }
}

document.addEventListener("drop", (event) => {
  const column = dropColumn(event);
  if (!column) return;
  event.preventDefault();
  moveCard(dragged, column.dataset.column, false);
});

// A card's Move menu: one button per move the pipeline allows, made when it is first opened (the
// summary's click comes before it opens, so the keyboard finds them at once).
document.addEventListener("click", (event) => {
  const summary = event.target.closest(".board-card .move-menu > summary");
  const list = summary?.parentElement.querySelector("ul");
  if (!list || list.children.length) return;
  for (const status of (summary.closest(".board-card").dataset.moves || "").split(" ").filter(Boolean)) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary small";
    button.dataset.move = status;
    button.textContent = `To ${status}`;
    item.append(button);
    list.append(item);
  }
});

document.addEventListener("click", (event) => {
  const button = event.target.closest(".board-card button[data-move]");
  if (!button) return;
  event.preventDefault();
  button.disabled = true;
  moveCard(button.closest(".board-card"), button.dataset.move, true).finally(() => { button.disabled = false; });
});

// "Show more" adds a column's next cards in place; a folded (closed) column loads its cards when opened.
// Both links work without this script too: they open that column alone.
async function columnFrom(link) {
  const response = await fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!response.ok) throw new Error(`the companion answered ${response.status}`);
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const status = link.dataset.showMore || link.dataset.openColumn;
  return document.importNode(page.querySelector(`[data-column="${CSS.escape(status)}"]`), true);
}

document.addEventListener("click", async (event) => {
  const link = event.target.closest("a[data-show-more], a[data-open-column]");
  if (!link) return;
  event.preventDefault();
  const column = link.closest("[data-column]");
  try {
    const fresh = await columnFrom(link);
    if (link.dataset.openColumn) {
      column.replaceChildren(...fresh.childNodes);
      column.classList.remove("folded");
      document.getElementById("board").append(column);
      column.querySelector(".board-title")?.focus();
    } else {
      const cards = [...fresh.querySelectorAll(".board-cards > li")];
      column.querySelector(".board-cards").append(...cards);
      const next = fresh.querySelector("a[data-show-more]");
      if (next) link.replaceWith(next); else link.remove();
      cards[0]?.querySelector(".board-title")?.focus();
    }
    refreshBulkBars();
  } catch (error) {
    notify(error.message, "error");
  }
});

// -- pages that change elsewhere refresh themselves --------------------------------------------------
// A light poll of a cheap address (waitress has few threads; an open event stream would hold one).

const POLL_MS = 10000;

async function replaceRegion(selector) {
  const response = await fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html").querySelector(selector);
  const current = document.querySelector(selector);
  if (!fresh || !current) return;
  const next = document.importNode(fresh, true);
  // What the person is typing there (the pairing code and install token) survives the refresh,
  // and so do the focus and the caret: another request arriving must not wipe an approval half typed.
  for (const field of current.querySelectorAll("input[id], textarea[id]")) {
    const twin = next.querySelector(`#${CSS.escape(field.id)}`);
    if (twin && twin.tagName === field.tagName && twin.type === field.type && field.type !== "hidden") twin.value = field.value;
  }
  const focused = current.contains(document.activeElement) ? document.activeElement : null;
  current.replaceWith(next);
  const refocused = focused?.id && document.getElementById(focused.id);
  if (refocused) {
    refocused.focus();
    try {
      refocused.setSelectionRange(focused.selectionStart, focused.selectionEnd);
    } catch {
      // not a field with a caret
    }
  }
}

async function pulse() {
  if (document.hidden) return;
  let data;
  try {
    data = await api("GET", "/pulse.json");
  } catch {
    return; // the companion stopped or the session ended: the next page load says so
  }
  const badge = document.getElementById("due-badge");
  if (badge && badge.textContent.trim() !== String(data.due_count)) {
    badge.textContent = String(data.due_count);
    badge.classList.toggle("zero", !data.due_count);
  }
  const live = document.querySelector("[data-live-pairing]");
  if (live && live.dataset.livePairing !== data.pairing_requests.join(" ")) {
    await replaceRegion("[data-live-pairing]");
  }
}

if (document.getElementById("due-badge")) {
  setInterval(pulse, POLL_MS);
  document.addEventListener("visibilitychange", pulse);
  // Right after a start the page may come before its count ("…"): ask for it at once.
  if ("counting" in document.getElementById("due-badge").dataset) pulse();
}

// A link to a field or a folded section ("Add one by hand") opens it and puts the focus there, so the
// next key press types into it rather than walking on from wherever the link was.
function revealTarget() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return;
  const folded = target.tagName === "SUMMARY" ? target.parentElement : target.closest("details");
  if (folded) folded.open = true;
  if (target.matches("input, select, textarea, summary")) target.focus();
}
window.addEventListener("hashchange", revealTarget);
revealTarget();

// Escape closes an open Move menu and returns to its button, as a menu would.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const menu = event.target.closest?.("details.move-menu[open]");
  if (!menu) return;
  menu.open = false;
  menu.querySelector("summary").focus();
});

const refocus = sessionStorage.getItem(FOCUS_KEY);
if (refocus) {
  sessionStorage.removeItem(FOCUS_KEY);
  document.getElementById(refocus)?.focus();
}

const saved = sessionStorage.getItem(NOTICE_KEY);
if (saved) {
  sessionStorage.removeItem(NOTICE_KEY);
  notify(saved);
}
document.documentElement.classList.add("js");
