/** Applied with the browser: the native host starts the companion, the badge follows its changes, "Open Applied" signs in. */
import * as api from "./api.js";
import { alarms, onInstalled, onStartup, openTab, showInTab, t } from "./browser.js";
import { REFRESH_ALARM, syncBadge } from "./followups.js";
import { handle } from "./router.js";
import { load as loadSettings } from "./settings.js";

/** The browser started (or the extension was installed): start Applied through the host, if there is one. */
async function startApplied() {
  try {
    await api.startWithHost();
  } catch {
    return; // no host registered: the popup says how to start Applied
  }
  watch();
  await api.flush().catch(() => {});
  await syncBadge().catch(() => {});
}

/** While the host is connected, it tells us of every change, so the badge follows changes made anywhere. */
function watch() {
  api.watchChanges(() => { syncBadge().catch(() => {}); });
}

/** "Open Applied" in the popup or the options page: a new tab with the web view, signed in where the host can. */
async function openWebview() {
  await openTab(await api.webviewAddress());
  return null;
}

/** "Open Applied from the extension" on the web view's sign-in page: sign that tab in. */
async function signInHere(message, sender) {
  const settings = await loadSettings();
  const { hostname, port, protocol } = new URL(sender.url);
  // Only Applied's own sign-in page (on 127.0.0.1, or the web view's own name), on the port it runs on: no other
  // local program gets a sign-in.
  const webviewHost = settings.webview ? new URL(settings.webview).hostname : null;
  if (protocol !== "http:" || !["127.0.0.1", webviewHost].includes(hostname) || Number(port) !== settings.port) {
    throw new Error(t("error_not_applied_page"));
  }
  let address;
  try {
    address = await api.signInAddress();
  } catch {
    throw new Error(t("error_no_host_sign_in", "applied setup"));
  }
  await showInTab(sender.tab.id, address);
  return null;
}

export function install() {
  onStartup(startApplied);
  onInstalled(startApplied);
  watch(); // each time the worker starts: a stopped worker lost its connection
  alarms.onAlarm(REFRESH_ALARM, watch);
  handle("openWebview", openWebview);
  handle("signInHere", signInHere, { fromContent: true });
}
