/** Capturing pages: the "I applied" button's requests, the popup/menu/shortcut on any tab, and the outbox's retries. */
import * as api from "./api.js";
import { alarms, getTab, injectContentScript, onStartup, sendToTab } from "./browser.js";
import { handle } from "./router.js";
import { refreshBadge } from "./followups.js";
import { baseUrl, load as loadSettings } from "./settings.js";

// What a content script gets to see of an application: what the button shows, no more
// (the page it runs in must not read the person's notes or history).
const forPage = (application) => application && {
  id: application.id, status: application.status, title: application.title, company: application.company,
};
const dueOnly = (next) => next && { due: next.due };

/** The next follow-up in a companion answer (capture answers carry it; lookups get it from api.lookup). */
export const nextFollowup = (body) => body.next_followup ?? body.application?.next_followup ?? null;

/** The content script's question "is this page tracked?" → {state, application?, next_followup?}. */
async function lookupPage({ url }) {
  const settings = await loadSettings();
  if (new URL(url).origin === new URL(baseUrl(settings)).origin) return { state: "companion" }; // our own web view
  try {
    const body = await api.lookup(url);
    if (!body.application) return { state: "new" };
    return { state: "tracked", application: forPage(body.application), next_followup: dueOnly(nextFollowup(body)) };
  } catch (error) {
    // Down or unpaired: the button still works, its capture waits in the outbox.
    return { state: "new", offline: error.kind, message: error.message };
  }
}

async function capturePage({ url, html }) {
  // No badge refresh here: a new application's first follow-up is days away, and counting
  // what is due means the companion reading every application.
  const result = await api.capture({ url, html, status: "applied" });
  return { state: result.state, reason: result.reason, warning: result.warning, message: result.message,
           application: forPage(result.application), next_followup: dueOnly(nextFollowup(result)) };
}

/**
 * Capture whatever page a tab shows (popup, context menu, shortcut): the content script does
 * it, so the page shows the result like a click on the button. Pages without it get it now.
 */
export async function captureTab(tabId) {
  const tab = await getTab(tabId);
  if (!/^https?:/.test(tab.url || "")) {
    throw new Error("Only web pages can be captured (not the browser's own pages).");
  }
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
