/** The extension's settings: one storage key merged over DEFAULTS. */
import { storage, t } from "./browser.js";

export const DEFAULTS = Object.freeze({
  host: "127.0.0.1",
  port: 7531, // the companion's default (companion/settings.py DEFAULT_PORT)
  token: "", // handed over by pairing, or pasted from `applied token`
  notifications: true, // one notification a day when follow-ups fall due
  everyPosting: false, // the button on every job posting, not only the supported sites (asks for access to all sites)
  autoLog: false, // log an application as soon as the site confirms it was sent
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
  for (const flag of ["notifications", "everyPosting", "autoLog"]) {
    if (flag in changes) out[flag] = Boolean(changes[flag]);
  }
  return out;
}

export const baseUrl = (settings) => `http://${settings.host}:${settings.port}`;
