/** The extension's settings: one storage key merged over DEFAULTS. */
import { storage, t } from "./browser.js";

export const DEFAULTS = Object.freeze({
  host: "127.0.0.1",
  port: 7531, // the companion's default (companion/settings.py DEFAULT_PORT)
  token: "", // handed over by pairing, or pasted from `applied token`
  notifications: true, // one notification a day when follow-ups fall due
  everyPosting: false, // the button on every job posting, not only the supported sites (asks for access to all sites)
  autoLog: false, // log an application as soon as the site confirms it was sent
  webview: "", // the web view's own address (http://applied-….localhost:PORT/), as the companion says it
});

const KEY = "settings";

export async function load() {
  const { [KEY]: saved } = await storage.get(KEY);
  return { ...DEFAULTS, ...(saved || {}) };
}

/** Merge changes into the stored settings (after checking them); returns the result. */
export async function save(changes) {
  const next = { ...(await load()), ...check(changes) };
  await storage.set({ [KEY]: next });
  return next;
}

function check(changes) {
  const out = {};
  if ("host" in changes) {
    const host = String(changes.host).trim().toLowerCase();
    // Only loopback: the manifest grants no other host, and the token must never leave the machine.
    if (!["127.0.0.1", "localhost"].includes(host)) {
      throw new Error(t("error_host_loopback"));
    }
    out.host = host;
  }
  if ("port" in changes) {
    const port = Number(changes.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(t("error_port_range"));
    out.port = port;
  }
  if ("token" in changes) out.token = String(changes.token).trim();
  if ("webview" in changes) {
    // Only a loopback name of .localhost: the address the companion gives its web view (companion/webhost.py).
    const given = String(changes.webview || "");
    out.webview = /^http:\/\/applied-[0-9a-f]{24}\.localhost(?::\d{1,5})?\/$/.test(given) ? given : "";
  }
  for (const flag of ["notifications", "everyPosting", "autoLog"]) {
    if (flag in changes) out[flag] = Boolean(changes[flag]);
  }
  return out;
}

export const baseUrl = (settings) => `http://${settings.host}:${settings.port}`;

/**
 * The web view's address (no trailing slash): its own name, once the companion said it; before that, the
 * companion's, whose sign-in page moves the person there. The API stays on baseUrl: it takes a token, no cookie.
 */
export const webviewUrl = (settings) => (settings.webview || `${baseUrl(settings)}/`).replace(/\/$/, "");

/** Whether a page's host name is the web view's (its own .localhost name, or loopback). */
export const isWebviewHost = (hostname) => ["127.0.0.1", "localhost", "[::1]"].includes(hostname) || hostname.endsWith(".localhost");
