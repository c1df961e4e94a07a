/** What the popup and options pages show: connection, pairing, this tab's application, today's follow-ups. */
import * as api from "./api.js";
import { getTab, onInstalled, openOptions, session, t } from "./browser.js";
import { needsReview, refreshTab, whyNotCapturable } from "./capture.js";
import { refreshBadge } from "./followups.js";
import * as flow from "./flow.js";
import { handle } from "./router.js";
import { baseUrl, load as loadSettings } from "./settings.js";

// What the person is told of a pairing request that ended without a token here.
const PAIRING_ENDED = { approved: "connection_pairing_approved", denied: "connection_pairing_denied", expired: "connection_pairing_expired" };

/**
 * connection.state: ok | down | unpaired | pairing | error; `again` when a token this browser held is no longer
 * accepted; host (when down): whether the browser can start Applied itself.
 */
async function connection() {
  const settings = await loadSettings();
  try {
    await api.ping(); // where the browser can start Applied, this starts it
  } catch (error) {
    const host = await api.hostAvailable();
    // With the host there is no terminal to send the person to: its own error says what went wrong.
    return { state: "down", message: error.message, command: host ? "" : api.startCommand(settings), host };
  }
  const pairing = await api.checkPairing();
  if (pairing?.state === "pending") {
    return { state: "pairing", pairing, message: t("connection_approve") };
  }
  if (!(await loadSettings()).token) {
    await api.tokenFromHost().catch(() => null); // the browser vouches for this extension: nothing to type
  }
  if (!(await loadSettings()).token) { // read again: an approved pairing, or the host, has just stored the token
    const why = pairing ? [t(PAIRING_ENDED[pairing.state] || PAIRING_ENDED.expired)] : [];
    return { state: "unpaired", message: [...why, t("connection_pair_to_start")].join(" ") };
  }
  try {
    await api.userSettings(); // a token may be revoked, or pasted wrong: ask with it
  } catch (error) {
    return { state: error.kind === "unpaired" ? "unpaired" : "error", message: error.message, again: error.kind === "unpaired" };
  }
  return { state: "ok" };
}

async function overview({ tabId }) {
  const settings = await loadSettings();
  const out = { connection: await connection(), webview: baseUrl(settings), queued: 0, page: null, followups: null, replies: 0 };
  const tab = tabId ? await getTab(tabId).catch(() => null) : null;
  if (tab) out.page = { tabId: tab.id, url: tab.url, title: tab.title, capturable: !whyNotCapturable(tab.url, settings) };
  if (out.connection.state === "ok") {
    try {
      await api.flush(); // the companion is back: whatever waited goes now
      const [found, due, replies] = await Promise.all([
        out.page?.capturable ? lookupTab(tab) : null,
        refreshBadge(),
        api.repliesToReview().catch(() => 0), // a companion from before replies were read has no such count
      ]);
      out.replies = replies;
      if (found?.application) {
        Object.assign(out.page, { application: found.application, next_followup: found.next_followup,
                                  remembered: found.remembered, review: await needsReview(found.application),
                                  files: await flow.picked(tab.id) });
      }
      out.followups = due;
    } catch (error) {
      if (error.kind === "unpaired") out.connection = { state: "unpaired", message: error.message, again: true };
      else out.connection = { state: "error", message: error.message };
    }
  }
  if (out.page?.capturable && !out.page.application) {
    // Captured already and waiting in the outbox: the popup shows that, not a second capture.
    const waiting = await queuedForTab(tab);
    if (waiting) out.page.queued = waiting;
  }
  // "Applied ✓ · check details" asked for the popup: it opens on the fields to fix.
  const { open_review: reviewTab } = await session.get("open_review");
  if (reviewTab !== undefined) {
    await session.remove("open_review");
    if (out.page && reviewTab === out.page.tabId) out.page.openReview = true;
  }
  out.queued = await api.queuedCount();
  const refused = await api.takeRefused();
  if (refused) out.refused = t("popup_refused_capture", refused.url, refused.message);
  return out;
}

/** The capture of the tab's page (or of the posting it opened before) waiting in the outbox, or null. */
async function queuedForTab(tab) {
  const waiting = await api.queuedFor(tab.url);
  if (waiting) return waiting;
  const posting = await flow.recall(tab.id);
  const step = posting && posting.url !== tab.url && new URL(posting.url).origin === new URL(tab.url).origin;
  return step ? api.queuedFor(posting.url) : null;
}

/** The tab's application: its page's, or (on an apply form or thank-you page) the posting the tab opened before. */
async function lookupTab(tab) {
  const found = await api.lookup(tab.url);
  if (found.application) return found;
  const posting = await flow.recall(tab.id);
  // Same site only: a page elsewhere in the tab's history is not an apply step of that posting.
  if (!posting || posting.url === tab.url || new URL(posting.url).origin !== new URL(tab.url).origin) return found;
  const before = await api.lookup(posting.url);
  return before.application
    ? { ...before, remembered: { title: posting.title, url: posting.url, inherited: Boolean(posting.inherited) } } : found;
}

/**
 * For each file name picked in the tab's forms, the stored document of that name (the newest):
 * [{name, document: {id, name, kind} | null, linked}].
 */
async function documentOffers({ tabId, applicationId }) {
  const names = await flow.picked(tabId);
  return Promise.all(names.map(async (name) => {
    const [found] = await api.findDocuments(name);
    if (!found) return { name, document: null, linked: false };
    return { name, document: { id: found.id, name: found.name, kind: found.kind },
             linked: (found.application_ids || []).includes(applicationId) };
  }));
}

const linkDocument = ({ applicationId, documentId }) => api.linkDocument(applicationId, documentId);

/** Open the options page on first run; a browser still starting has no window yet, so try again shortly. */
async function welcome(attempt = 0) {
  try {
    await openOptions();
  } catch (error) {
    if (attempt < 10) setTimeout(() => welcome(attempt + 1), 500);
    else throw error;
  }
}

async function setStatus({ applicationId, status, tabId }) {
  const body = await api.setStatus(applicationId, status);
  if (tabId) refreshTab(tabId);
  refreshBadge().catch(() => {});
  return body;
}

export function install() {
  onInstalled(({ reason }) => {
    if (reason === "install") welcome(); // first run: the options page says what to do next
  });
  handle("overview", overview);
  handle("setStatus", setStatus);
  handle("documentOffers", documentOffers);
  handle("linkDocument", linkDocument);
  handle("pair", () => api.startPairing());
  handle("cancelPairing", () => api.cancelPairing());
  handle("checkConnection", () => connection());
}
