/** Capturing pages: the "I applied" button's requests, the popup/menu/shortcut on any tab, and the outbox's retries. */
import * as api from "./api.js";
import { alarms, getTab, injectContentScript, onStartup, sendToTab } from "./browser.js";
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
  if (!/^https?:/.test(url || "")) return "Only web pages can be captured (not the browser's own pages).";
  if (isCompanionPage(url, settings)) return "This is Applied itself: open a job posting to log your application.";
  return "";
}

/** The content script's question "is this page tracked?" → {state, application?, next_followup?}. */
async function lookupPage({ url }, sender) {
  ownPageUrl(url, sender);
  if (isCompanionPage(url, await loadSettings())) return { state: "companion" };
  try {
    const body = await api.lookup(url);
    if (!body.application) return { state: "new" };
    return { state: "tracked", application: forPage(body.application), next_followup: dueOnly(body.next_followup) };
  } catch (error) {
    // Down or unpaired: the button still works, its capture waits in the outbox.
    return { state: "new", offline: error.kind, message: error.message };
  }
}

async function capturePage({ url, html }, sender) {
  // No badge refresh here: a new application's first follow-up is days away, and counting
  // what is due means the companion reading every application.
  const result = await api.capture({ url: ownPageUrl(url, sender), html, status: "applied" });
  return { state: result.state, reason: result.reason, warning: result.warning, message: result.message,
           application: forPage(result.application), next_followup: dueOnly(result.next_followup) };
}

/**
 * Capture whatever page a tab shows (popup, context menu, shortcut): the content script does
 * it, so the page shows the result like a click on the button. Pages without it get it now.
 */
export async function captureTab(tabId) {
  const tab = await getTab(tabId);
  const why = whyNotCapturable(tab.url, await loadSettings());
  if (why) throw new Error(why);
  try {
    return await sendToTab(tabId, { type: "capture-now" });
  } catch {
    // No content script there yet (not a known job site): activeTab lets us add it.
    try {
      await injectContentScript(tabId);
    } catch {
      throw new Error("The browser does not let extensions read this page (for example its web store).");
    }
    return sendToTab(tabId, { type: "capture-now" });
  }
}

/** Ask a tab's content script to show the application's current state again (after a change elsewhere). */
export const refreshTab = (tabId) => sendToTab(tabId, { type: "refresh" }).catch(() => {});

export function install() {
  handle("lookup", lookupPage, { fromContent: true });
  handle("capture", capturePage, { fromContent: true });
  handle("captureTab", ({ tabId }) => captureTab(tabId));
  alarms.onAlarm(api.RETRY_ALARM, () => api.flush().then(refreshBadge).catch(() => {}));
  onStartup(() => api.flush().catch(() => {}));
}
