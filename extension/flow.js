/** The apply flow: per tab, the posting the person opened, so the apply form and the thank-you page after it log that posting. */
import { onStartup, onTabCreated, onTabRemoved, session } from "./browser.js";

const PREFIX = "posting:"; // one session key per tab: posting:<tabId> → {url, html, title, at}
const KEEP_TABS = 8; // the most recent tabs only: a rendered page can weigh a megabyte
const MAX_HTML = 3_000_000; // bigger pages are remembered by address only (the companion can fetch them)
const ROOM = 8_000_000; // session storage holds 10 MB in all (Chrome): the pages kept stay under this
const FRESH_MS = 6 * 60 * 60 * 1000; // an apply form six hours after the posting is another story

const FILES = "files:"; // files:<tabId> → {names, posting, at}: the names of the files picked in the tab's forms
const MAX_NAMES = 10;
const MAX_NAME = 255;

const key = (tabId) => PREFIX + tabId;
const filesKey = (tabId) => FILES + tabId;

/**
 * Remember that a tab shows a posting (its URL and rendered page; `at` and `inherited` when a new tab
 * inherits it from the tab it was opened from: then this tab never showed it itself).
 */
export async function remember(tabId, { url, html, title, at = Date.now(), inherited = false }) {
  if (tabId === undefined || tabId < 0) return;
  // Another posting in this tab: the files picked for the one before are not for this one.
  const { [filesKey(tabId)]: files } = await session.get(filesKey(tabId));
  if (files && files.posting !== url) await session.remove(filesKey(tabId));
  const entry = { url, html: html && html.length <= MAX_HTML ? html : "", title: title || "", at, inherited };
  await makeRoom(tabId, entry.html.length);
  try {
    await session.set({ [key(tabId)]: entry });
  } catch {
    // Still too big (a page of wide characters): by address only, rather than leave this tab on the
    // posting it showed before, which its apply form would then log.
    await session.set({ [key(tabId)]: { ...entry, html: "" } });
  }
}

/** Forget the oldest other tabs' postings: KEEP_TABS in all, and a page of `size` fits beside the rest. */
async function makeRoom(tabId, size) {
  const all = await session.get(null);
  const tabs = Object.entries(all).filter(([name]) => name.startsWith(PREFIX) && name !== key(tabId))
    .sort((a, b) => a[1].at - b[1].at);
  let used = size + tabs.reduce((sum, [, entry]) => sum + (entry.html?.length || 0), 0);
  const gone = [];
  while ((used > ROOM || tabs.length >= KEEP_TABS) && tabs.length) {
    const [name, entry] = tabs.shift();
    used -= entry.html?.length || 0;
    gone.push(name);
  }
  if (gone.length) await session.remove(gone);
}

/** The posting a tab opened last, if recent enough; null otherwise. */
export async function recall(tabId) {
  if (tabId === undefined || tabId < 0) return null;
  const { [key(tabId)]: entry } = await session.get(key(tabId));
  return entry && Date.now() - entry.at < FRESH_MS ? entry : null;
}

export const forget = (tabId) => session.remove([key(tabId), filesKey(tabId)]);

/**
 * The person picked files in one of the tab's file inputs: remember their names (only names:
 * the content never leaves the page), with the posting the tab showed, for the popup to offer
 * the stored documents of those names.
 */
export async function pickedFiles(tabId, names, posting) {
  if (tabId === undefined || tabId < 0 || !Array.isArray(names)) return;
  const clean = names.filter((name) => typeof name === "string")
    .map((name) => name.split(/[\\/]/).pop().trim().slice(0, MAX_NAME)).filter(Boolean);
  if (!clean.length) return;
  const { [filesKey(tabId)]: before } = await session.get(filesKey(tabId));
  const kept = before && before.posting === posting && Date.now() - before.at < FRESH_MS ? before.names : [];
  const all = [...new Set([...kept, ...clean])].slice(-MAX_NAMES);
  await session.set({ [filesKey(tabId)]: { names: all, posting, at: Date.now() } });
}

/** The names of the files picked in the tab (recently), or []. */
export async function picked(tabId) {
  if (tabId === undefined || tabId < 0) return [];
  const { [filesKey(tabId)]: entry } = await session.get(filesKey(tabId));
  return entry && Date.now() - entry.at < FRESH_MS ? entry.names : [];
}

export function install() {
  onTabRemoved((tabId) => { forget(tabId).catch(() => {}); });
  // "Apply" often opens the form in a new tab: it inherits the posting of the tab it came from.
  onTabCreated(async (tab) => {
    if (tab.openerTabId === undefined) return;
    const entry = await recall(tab.openerTabId).catch(() => null);
    if (entry) await remember(tab.id, { ...entry, inherited: true }); // a copy of a page takes room too
  });
  // Where session storage falls back to local storage, a new browser session starts with no memory.
  onStartup(async () => {
    const all = await session.get(null);
    const stale = Object.keys(all).filter((name) => name.startsWith(PREFIX) || name.startsWith(FILES));
    if (stale.length) await session.remove(stale);
  });
}
