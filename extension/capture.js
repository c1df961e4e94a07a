/** Capturing pages: the "I applied" button's requests, the popup's checked capture, the menu/shortcut on any tab, and the outbox's retries. */
import * as api from "./api.js";
import { alarms, getTab, injectContentScript, onStartup, openPopup, sendToTab, session, t } from "./browser.js";
import * as flow from "./flow.js";
import { handle } from "./router.js";
import { refreshBadge } from "./followups.js";
import { load as loadSettings } from "./settings.js";

// What a content script gets to see of an application: what the button shows, no more
// (the page it runs in must not read the person's notes or history).
const forPage = (application) => application && {
  id: application.id, status: application.status, title: application.title, company: application.company,
};
const dueOnly = (next) => next && { due: next.due };

/**
 * The URL a content script asks about, if it is on the content script's own page's origin.
 * A content script speaks for its page; even one the page has subverted must not read or
 * write what is tracked for other sites. (The origin, not the URL: single-page sites move
 * with pushState, and LinkedIn's search view names its posting by another path.)
 */
function ownPageUrl(url, sender) {
  if (typeof sender.url !== "string" || new URL(url).origin !== new URL(sender.url).origin) {
    throw new Error("a page may only ask about its own address");
  }
  return url;
}

/** True for Applied's own web view (any loopback name, on the companion's port). */
function isCompanionPage(url, settings) {
  const { hostname, port, protocol } = new URL(url);
  return protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(hostname) && Number(port || 80) === settings.port;
}

/** Why the page at url cannot be captured, or "" when it can. */
export function whyNotCapturable(url, settings) {
  if (!/^https?:/.test(url || "")) return t("error_not_web_page");
  if (isCompanionPage(url, settings)) return t("error_own_web_view");
  return "";
}

const REVIEW = "review:"; // session key per application whose capture the person should check: review:<id> → missing fields

async function noteReview(result) {
  if (!result.application) return;
  if (result.review?.needed) await session.set({ [REVIEW + result.application.id]: result.review.missing || [] });
}

/**
 * The fields to check of an application (a list, maybe empty), or null when there is nothing to check.
 * The companion keeps the review on the application until the person corrects or confirms it, so it
 * holds wherever the capture was made (the outbox, another browser, before a restart); what this
 * browser noted of an answer is for a companion that keeps none.
 */
export async function needsReview(application) {
  if (application.review !== undefined) {
    const review = application.review;
    return review?.needed ? [...(review.missing || []), ...(review.guessed || [])] : null;
  }
  const { [REVIEW + application.id]: missing } = await session.get(REVIEW + application.id);
  return missing || null;
}

export const reviewed = (applicationId) => session.remove(REVIEW + applicationId);

/** What the content script's page logs: the page itself, or on an apply step the posting this tab opened before. */
async function target({ url, html, step }, sender) {
  ownPageUrl(url, sender);
  if (step) {
    const posting = await flow.recall(sender.tab?.id);
    if (posting) return { url: posting.url, html: posting.html, remembered: { title: posting.title } };
  }
  return { url, html, remembered: null };
}

/** The content script's question "is this page tracked?" → {state, application?, next_followup?, remembered?}. */
async function lookupPage({ url, step = false, confirmation = false }, sender) {
  ownPageUrl(url, sender);
  const settings = await loadSettings();
  if (isCompanionPage(url, settings)) return { state: "companion" };
  const page = await target({ url, step }, sender);
  if (step && !page.remembered) return { state: "new", remembered: null };
  try {
    const body = await api.lookup(page.url, { start: false });
    if (!body.application && await api.queuedFor(page.url)) {
      // Captured, and waiting in the outbox: one capture, not a second "I applied". Applied answers
      // now, so it goes (and the page is told when it is in).
      api.flush().catch(() => {});
      return { state: "queued", reason: "down", remembered: page.remembered, confirmation };
    }
    const tracked = body.application && body.application.status !== "saved";
    if (confirmation && !tracked && settings.autoLog) {
      // The person asked to have applications logged as soon as the site confirms them.
      const result = await capturePage({ url, html: "", step: true }, sender);
      if (result.state === "queued") return { state: "new", remembered: page.remembered, confirmation };
      return { ...result, state: "tracked", review: Boolean(result.review?.needed), remembered: page.remembered, confirmation };
    }
    if (!body.application) return { state: "new", remembered: page.remembered, confirmation };
    if (page.remembered && body.application.title) page.remembered.title = body.application.title;
    return { state: "tracked", application: forPage(body.application), next_followup: dueOnly(body.next_followup),
             review: Boolean(await needsReview(body.application)), remembered: page.remembered, confirmation };
  } catch (error) {
    // Down or unpaired: the button still works, its capture waits in the outbox (where one may wait already).
    if (await api.queuedFor(page.url)) return { state: "queued", reason: error.kind, remembered: page.remembered, confirmation };
    return { state: "new", offline: error.kind, message: error.message, remembered: page.remembered, confirmation };
  }
}

async function capturePage({ url, html, step = false, title = "", anyway = false }, sender) {
  // No badge refresh here: a new application's first follow-up is days away, and counting
  // what is due means the companion reading every application.
  const page = await target({ url, html, step }, sender);
  const shown = { title: page.remembered?.title || (typeof title === "string" ? title.slice(0, 300) : "") };
  // The posting an apply step remembers was a posting; any other page is asked about when Applied
  // reads no posting there, unless the person already said "log anyway".
  const result = await api.capture({ url: page.url, html: page.html, status: "applied", tabId: sender.tab?.id ?? null, shown,
                                     askFirst: !anyway && !page.remembered });
  if (result.state === "confirm") return { state: "confirm", message: result.message };
  await noteReview(result);
  return shortResult(result);
}

/** What a page may see of a capture's result. */
const shortResult = (result) => ({
  state: result.state, reason: result.reason, message: result.message, review: result.review,
  application: forPage(result.application), next_followup: dueOnly(result.next_followup),
});

/** The content script on a posting says which posting its tab shows. */
async function rememberPage({ url, html, title }, sender) {
  ownPageUrl(url, sender);
  await flow.remember(sender.tab?.id, { url, html, title });
  return null;
}

/** The person picked files in one of the page's file inputs: the names only (the content script reads no more). */
async function filesPicked({ url, names }, sender) {
  ownPageUrl(url, sender);
  const posting = await flow.recall(sender.tab?.id);
  await flow.pickedFiles(sender.tab?.id, names, posting?.url || url);
  return null;
}

/** "Applied ✓ · check details" was clicked: the popup opens on the fields to check (where the browser lets us). */
async function openReview(message, sender) {
  await session.set({ open_review: sender.tab?.id ?? null });
  return { opened: await openPopup() };
}

/** The content script of a tab, injected first where it is not running (activeTab lets us). */
async function askTab(tabId, message) {
  try {
    return await sendToTab(tabId, message);
  } catch {
    try {
      await injectContentScript(tabId);
    } catch {
      throw new Error(t("error_page_closed"));
    }
    const reply = await sendToTab(tabId, message);
    // Not running there before: whatever it shows now, the person saw no button on the page.
    return reply && typeof reply === "object" ? { ...reply, injected: true } : reply;
  }
}

// How long the popup waits for a tab's page to say what it shows: a page still loading, or too busy to
// answer, is then taken by its address and title (the popup offers "I applied" at once whatever it does).
const TAB_ANSWER_MS = 1500;
const within = (promise, ms) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(null), ms))]);

/**
 * What the tab would log: {url, html, step, remembered, looks_like_posting, title, button, unread}.
 * html: false leaves the page unserialized (the popup's first, quick look).
 */
async function tabPage(tabId, { html = true } = {}) {
  const tab = await getTab(tabId);
  const why = whyNotCapturable(tab.url, await loadSettings());
  if (why) throw new Error(why);
  const page = await within(askTab(tabId, { type: "page", html }), TAB_ANSWER_MS);
  if (!page) {  // the page did not answer in time: its address and title, and Applied reads it when saved
    return { url: tab.url, html: "", step: false, remembered: null, looks_like_posting: true, title: tab.title || "",
             button: false, unread: true };
  }
  if (page.step) {
    const posting = await flow.recall(tabId);
    if (posting) {
      return { url: posting.url, html: posting.html, step: true, remembered: { title: posting.title }, looks_like_posting: true,
               title: posting.title, button: Boolean(page.button && !page.injected), inherited: Boolean(posting.inherited),
               confirmation: Boolean(page.confirmation) };
    }
  }
  return { url: page.url || tab.url, html: page.html || "", step: false, remembered: null,
           looks_like_posting: Boolean(page.looks_like_posting), title: page.title || tab.title || "",
           button: Boolean(page.button && !page.injected) };
}

/** The popup's first look, without the companion: what the tab shows, as the page itself tells it. */
async function pageOfTab({ tabId }) {
  const page = await tabPage(tabId, { html: false });
  delete page.html;
  return page;
}

/**
 * The popup's editable preview of a capture, by Applied's own reading of the page (the verdict a
 * capture would reach): {url, step, remembered, looks_like_posting, reason, title, company, location,
 * missing, guessed}. Throws when the companion does not answer: the popup keeps what the page said.
 */
async function previewTab({ tabId }) {
  const page = await tabPage(tabId);
  if (page.unread) throw new Error(t("popup_preview_unavailable"));
  const read = await api.preview(page.url, page.html);
  return {
    url: page.url, step: page.step, remembered: page.remembered, button: Boolean(page.button),
    inherited: Boolean(page.inherited), confirmation: Boolean(page.confirmation),
    looks_like_posting: page.step || Boolean(read.looks_like_posting), reason: read.reason || "",
    title: read.title || "", company: read.company || "", location: (read.locations || [])[0] || "",
    missing: read.missing || [], guessed: read.guessed || [],
  };
}

/**
 * Save from the popup: the page (or the posting before it) with the fields the person checked,
 * as applied or saved for later. The page shows the result like a click on its button. Unless the
 * person answered "Log it anyway", a page Applied reads as no posting is asked about first
 * ({state: "confirm", message}).
 */
async function captureFromPopup({ tabId, fields = {}, status = "applied", location, anyway = false }) {
  if (!["applied", "saved"].includes(status)) throw new Error("a capture is either applied or saved for later");
  const page = await tabPage(tabId);
  const clean = (value) => (typeof value === "string" ? value.trim().slice(0, 500) : "");
  // The location goes with the capture, so that it is kept while the capture waits in the outbox too.
  const result = await api.capture({ url: page.url, html: page.html, status, tabId, askFirst: !anyway && !page.step,
                                     fields: { title: clean(fields.title), company: clean(fields.company),
                                               location: clean(location) } });
  if (result.state === "confirm") return { state: "confirm", message: result.message };
  // What the person typed in is what they checked: only what is still empty needs another look.
  const missing = ["title", "company"].filter((field) => !result.application?.[field]);
  if (result.application && result.state !== "queued") {
    const changes = {};
    if (typeof location === "string" && result.state === "duplicate") { // tracked before: the capture changed nothing
      const locations = clean(location) ? [clean(location)] : [];
      if (JSON.stringify(locations) !== JSON.stringify(result.application.locations || [])) changes.locations = locations;
    }
    if (result.review?.needed && !missing.length) {
      // Flagged for review (a field read from weak evidence), but checked here: the
      // companion records the fields as the person's, and asks no more.
      Object.assign(changes, { title: result.application.title, company: result.application.company });
    }
    if (Object.keys(changes).length) result.application = (await api.update(result.application.id, changes)).application;
  }
  if (result.review?.needed && result.application) {
    result.review = { ...result.review, needed: missing.length > 0, missing };
  }
  await noteReview(result);
  sendToTab(tabId, { type: "show", result: shortResult(result) }).catch(() => {});
  return { ...shortResult(result), application: result.application };
}

/** The person corrected an application's fields in the popup. */
async function saveFields({ applicationId, fields = {}, tabId }) {
  const changes = {};
  for (const field of ["title", "company"]) if (typeof fields[field] === "string") changes[field] = fields[field].trim() || null;
  if (typeof fields.location === "string") changes.locations = fields.location.trim() ? [fields.location.trim()] : [];
  const body = await api.update(applicationId, changes);
  await reviewed(applicationId);
  if (tabId) refreshTab(tabId);
  return body;
}

/** Capture whatever page a tab shows (context menu, shortcut): the content script does it, so the page shows the result. */
export async function captureTab(tabId) {
  const tab = await getTab(tabId);
  const why = whyNotCapturable(tab.url, await loadSettings());
  if (why) throw new Error(why);
  return askTab(tabId, { type: "capture-now" });
}

/** Ask a tab's content script to show the application's current state again (after a change elsewhere). */
export const refreshTab = (tabId) => sendToTab(tabId, { type: "refresh" }).catch(() => {});

export function install() {
  handle("lookup", lookupPage, { fromContent: true });
  handle("capture", capturePage, { fromContent: true });
  handle("remember", rememberPage, { fromContent: true });
  handle("openReview", openReview, { fromContent: true });
  handle("filesPicked", filesPicked, { fromContent: true });
  handle("captureTab", ({ tabId }) => captureTab(tabId));
  handle("pageOfTab", pageOfTab);
  handle("previewTab", previewTab);
  handle("captureFromPopup", captureFromPopup);
  handle("saveFields", saveFields);
  alarms.onAlarm(api.RETRY_ALARM, () => api.flush().then(() => refreshBadge()).catch(() => {}));
  onStartup(() => api.flush().catch(() => {}));
  // A capture the outbox sent (whoever flushed it): the tab it was made in shows it, "Queued ✓" becomes "Applied ✓".
  api.onDelivered(({ tab_id: tabId }) => { if (tabId !== null) refreshTab(tabId); });
}
