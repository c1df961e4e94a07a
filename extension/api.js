/** The one client of the companion: ping, pairing, capture (with its offline outbox), lookups and actions;
 * over HTTP, and through Applied's native host where the browser can start it (start, token, sign-in, changes). */
import { alarms, nativeHost, platform, isFirefox, storage, t } from "./browser.js";
import { DEFAULTS, baseUrl, load as loadSettings, save as saveSettings } from "./settings.js";

/** The command that starts the companion where these settings look for it. */
export const startCommand = ({ port }) => (port === DEFAULT_PORT ? "applied serve" : `applied serve --port ${port}`);
export const RETRY_ALARM = "applied-retry";
const OUTBOX = "outbox:"; // one storage key per waiting capture, so two captures never overwrite each other
const RETRY_STATE = "retry";
const PAIRING = "pairing";
const TIMEOUT_MS = 30_000;
const DEFAULT_PORT = DEFAULTS.port;

/** A failure a person can act on. kind: down | unpaired | refused | server. */
export class CompanionError extends Error {
  constructor(kind, message, { status = 0, code = "", body = null } = {}) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

const RETRYABLE = new Set(["down", "unpaired", "server"]);

const address = (settings) => `${settings.host}:${settings.port}`;
const notRunning = (settings) => new CompanionError("down", t("error_not_running", address(settings), startCommand(settings)));

/**
 * A request to the companion. When it is not running, or this browser holds no token it accepts,
 * and the browser can start Applied's native host, the host starts it or hands over a token, and
 * the request is sent once more: the person types nothing.
 */
async function request(method, path, payload, options = {}) {
  try {
    return await send(method, path, payload, options);
  } catch (error) {
    if (!(await recover(error, options))) throw error;
    return send(method, path, payload, options);
  }
}

async function recover(error, { auth = true, start = true } = {}) {
  if (!start) return false; // a look-up made as a page loads: starting Applied waits for the person's own action
  try {
    if (error.kind === "down") return Boolean(await startWithHost());
    if (error.kind === "unpaired" && auth) return Boolean(await tokenFromHost());
  } catch {
    // No host registered (or it failed): the caller's error stands, and says what to do.
  }
  return false;
}

async function send(method, path, payload, { auth = true } = {}) {
  const settings = await loadSettings();
  if (auth && !settings.token) {
    throw new CompanionError("unpaired", t("error_not_paired"));
  }
  if (auth) await proveServer(settings); // nothing (token, capture) goes to a server that cannot prove it is ours
  const headers = {};
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  if (auth) headers.Authorization = `Bearer ${settings.token}`;
  // A Blob body: Chromium uploads a megabyte given as a string several times slower (~100 ms on loopback).
  const body = payload === undefined ? undefined : new Blob([JSON.stringify(payload)], { type: "application/json" });
  let response;
  try {
    response = await fetch(baseUrl(settings) + path, {
      method, headers, body,
      signal: AbortSignal.timeout(TIMEOUT_MS), credentials: "omit", cache: "no-store",
    });
  } catch (error) {
    if (error.name === "TimeoutError") {
      throw new CompanionError("down", t("error_timeout", address(settings), TIMEOUT_MS / 1000));
    }
    throw notRunning(settings);
  }
  const answer = await response.json().catch(() => null);
  if (response.ok) return { status: response.status, body: answer };
  const error = answer?.error || {};
  const message = error.message || t("error_status", response.status);
  if (response.status === 401) {
    throw new CompanionError("unpaired", t("error_token_refused", message), { status: 401, code: error.code });
  }
  const kind = response.status >= 500 ? "server" : "refused";
  throw new CompanionError(kind, message, { status: response.status, code: error.code || "", body: answer });
}

// -- proving the server ----------------------------------------------------------------------
// While Applied is down, any program (another user's too) may listen on its port and answer the
// ping. So before the token or a capture is sent, the server must answer a fresh nonce with the
// HMAC keyed by our token's SHA-256, which only Applied keeps (companion/tokens.py).

const hex = (bytes) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
const utf8 = (text) => new TextEncoder().encode(text);
const sha256 = async (text) => hex(await crypto.subtle.digest("SHA-256", utf8(text)));

async function proveServer(settings) {
  const digest = await sha256(settings.token);
  const nonce = hex(crypto.getRandomValues(new Uint8Array(16)));
  const key = (await sha256(`applied-key-id:${digest}`)).slice(0, 16);
  let answer = null;
  try {
    const response = await fetch(`${baseUrl(settings)}/api/ping?nonce=${nonce}&key=${key}`, {
      signal: AbortSignal.timeout(TIMEOUT_MS), credentials: "omit", cache: "no-store",
    });
    answer = await response.json();
  } catch {
    throw notRunning(settings);
  }
  const hmac = await crypto.subtle.importKey("raw", utf8(digest), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const expected = hex(await crypto.subtle.sign("HMAC", hmac, utf8(`applied-proof:${settings.port}:${nonce}`)));
  if (answer?.app === "applied" && answer.proof === expected) return;
  if (answer?.app === "applied" && answer.proof === null) {
    throw new CompanionError("unpaired", t("error_token_unknown"));
  }
  throw new CompanionError("down", t("error_unproven", address(settings), startCommand(settings)));
}

/** A random id this browser keeps, so the companion limits pairing requests per requester. */
async function requesterId() {
  const { requester } = await storage.get("requester");
  if (requester) return requester;
  const made = hex(crypto.getRandomValues(new Uint8Array(16)));
  await storage.set({ requester: made });
  return made;
}

// -- Applied's native host -----------------------------------------------------------------------
// Registered by `applied setup`; the browser starts it for this extension alone (the host
// manifest names our id), so what it hands over needs no code and no approval.

async function askHost(type, extra = {}) {
  const reply = await nativeHost.send({ id: crypto.randomUUID(), type, ...extra }); // rejects when there is no host
  if (!reply?.ok) throw new CompanionError("down", reply?.error?.message || t("error_host_no_answer"));
  if (reply.port) {
    const settings = await loadSettings();
    if (settings.port !== reply.port) await saveSettings({ port: reply.port }); // where `applied setup` said it runs
  }
  return reply;
}

let starting = null; // one start at a time: several requests may find the companion down together

/** Start the companion through the host: {port, started}; rejects when there is no host. */
export function startWithHost() {
  starting ??= askHost("start").finally(() => { starting = null; });
  return starting;
}

let fetchingToken = null;

/** This browser's own token from the host (made for it, kept in storage); rejects when there is no host. */
export function tokenFromHost() {
  fetchingToken ??= (async () => {
    const { os } = await platform();
    const { token } = await askHost("token", { name: `${isFirefox ? "Firefox" : "Chrome"} on ${os}` });
    await saveSettings({ token });
    await storage.remove(PAIRING); // a pairing by code waiting meanwhile is not needed any more
    return token;
  })().finally(() => { fetchingToken = null; });
  return fetchingToken;
}

/** Whether the browser can start Applied's host (it answers "hello" without starting anything). */
export async function hostAvailable() {
  try {
    return Boolean((await nativeHost.send({ id: "hello", type: "hello" }))?.ok);
  } catch {
    return false;
  }
}

/** The web view's one-time sign-in address, from the host (it starts Applied first); rejects when there is no host. */
export async function signInAddress() {
  return (await askHost("signIn")).url;
}

/** The web view's address: signed in when the host can make a sign-in, else its plain address. */
export async function webviewAddress() {
  try {
    return await signInAddress();
  } catch {
    return `${baseUrl(await loadSettings())}/`;
  }
}

let watch = null; // the lasting connection to the host, while it lasts

/** Be told by the host whenever the companion changes (what is due may have): onChange() each time. */
export function watchChanges(onChange) {
  if (watch) return;
  try {
    watch = nativeHost.connect((message) => { if (message?.type === "changed") onChange(message); },
                               () => { watch = null; });
    watch.post({ id: "watch", type: "watch" });
  } catch {
    watch = null; // no native messaging at all
  }
}

// -- connection and pairing ---------------------------------------------------------------

/** {app, version, api} when the companion answers; throws CompanionError("down") otherwise. */
export async function ping() {
  const { body } = await request("GET", "/api/ping", undefined, { auth: false });
  if (body?.app !== "applied") {
    throw new CompanionError("down", t("error_not_applied"));
  }
  return body;
}

/** Ask the companion to pair; the person approves the request there. */
export async function startPairing() {
  const { os } = await platform();
  const name = `${isFirefox ? "Firefox" : "Chrome"} on ${os}`;
  const { body } = await request("POST", "/api/pair", { name, requester: await requesterId() }, { auth: false });
  const pairing = { id: body.id, code: body.code || null, expires_at: body.expires_at || null, name };
  await storage.set({ [PAIRING]: pairing });
  return pairing;
}

export async function pendingPairing() {
  return (await storage.get(PAIRING))[PAIRING] || null;
}

let checking = null; // one check at a time: the popup and the options page both poll, and the token is handed over once

/** Check a pending pairing; on approval keep the token. Returns the state (or null when none is pending). */
export function checkPairing() {
  checking ??= checkPendingPairing().finally(() => { checking = null; });
  return checking;
}

async function checkPendingPairing() {
  const pairing = await pendingPairing();
  if (!pairing) return null;
  let body;
  try {
    ({ body } = await request("GET", `/api/pair/${encodeURIComponent(pairing.id)}`, undefined, { auth: false }));
  } catch (error) {
    if (error.status === 404) {
      await storage.remove(PAIRING);
      return { ...pairing, state: "expired" };
    }
    throw error;
  }
  if (body.state === "approved" && !body.collected) {
    // Approved: collect the token (a POST, handed over once; the poll itself only reads).
    // With the requester id this browser asked with: the request's id alone is listed to whoever
    // holds the web view's session, and must not be enough to take the token.
    const { body: collected } = await request("POST", `/api/pair/${encodeURIComponent(pairing.id)}/token`,
                                              { requester: await requesterId() }, { auth: false });
    await saveSettings({ token: collected.token });
    await storage.remove(PAIRING);
  } else if (body.state !== "pending") {
    await storage.remove(PAIRING); // denied, expired, or approved but already collected
  }
  return { ...pairing, ...body, token: undefined };
}

export const cancelPairing = () => storage.remove(PAIRING);

/** The person's settings in Applied ({notifications, ...}); also how to learn whether our token is still accepted. */
export async function userSettings() {
  const { body } = await request("GET", "/api/settings");
  return body.settings;
}

// -- applications ------------------------------------------------------------------------

/**
 * {application, next_followup} for a page URL; application is null when the page is not tracked.
 * start: false for the look-up a page makes as it loads, which must not start Applied by itself.
 */
export async function lookup(url, { start = true } = {}) {
  const { body } = await request("GET", `/api/applications?url=${encodeURIComponent(url)}`, undefined, { start });
  return body;
}

export async function setStatus(id, status) {
  const { body } = await request("PATCH", `/api/applications/${id}`, { status });
  return body;
}

/** Change an application's fields ({title, company, locations}): what the person corrected in the popup. */
export async function update(id, fields) {
  const { body } = await request("PATCH", `/api/applications/${id}`, fields);
  return body;
}

/**
 * What Applied reads in a page, without storing anything: {looks_like_posting, title, company, locations}.
 * The popup fills its editable fields from it before the person saves.
 */
export async function preview(url, html) {
  const { body } = await request("POST", "/api/preview", { url, html });
  return body;
}

/** The companion's change counter: {version, changed}. Cheap enough to ask every few seconds. */
export async function changes(since) {
  const query = since ? `?since=${encodeURIComponent(since)}` : "";
  const { body } = await request("GET", `/api/changes${query}`);
  return body;
}

// -- documents -------------------------------------------------------------------------------

/** The stored documents of a file name, as a form's file input reports it: [{id, name, kind, application_ids, ...}], newest first. */
export async function findDocuments(name) {
  const { body } = await request("GET", `/api/documents?name=${encodeURIComponent(name)}`);
  return body.documents || [];
}

/** The stored document went with this application. */
export async function linkDocument(applicationId, documentId) {
  const { body } = await request("POST", `/api/applications/${encodeURIComponent(applicationId)}/documents`,
                                 { document_id: documentId });
  return body;
}

// -- replies read from the person's mail -------------------------------------------------------

/** How many replies from the person's mail wait for review in the web view (the popup's "N replies to review"). */
export async function repliesToReview() {
  const { body } = await request("GET", "/api/replies/count");
  return body.open;
}

// -- follow-ups ----------------------------------------------------------------------------

/** The person's local calendar day as YYYY-MM-DD (follow-ups are due on days, not instants). */
export function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * What is due today, as the web view's Due count has it: follow-ups and people to thank.
 * {count, overdue, items: the first `limit`, overdue first}. The one request behind the badge.
 */
export async function due({ limit = 5, day = localDay() } = {}) {
  const [{ body: followups }, { body: reminders }] = await Promise.all([
    request("GET", `/api/followups?due=${day}&limit=${limit}`),
    request("GET", `/api/contacts/reminders?due=${day}&limit=${limit}`), // drafts for those shown only
  ]);
  const people = (reminders.reminders || []).map((r) => ({
    kind: "reminder", key: r.key, contact_id: r.contact_id, title: r.title || (r.name ? t("popup_write_to", r.name) : t("popup_write_to_contact")),
    who: r.name || "", due: r.date, overdue: Boolean(r.overdue),
  }));
  const items = [...(followups.followups || []).map((f) => ({ ...f, kind: f.kind || "followup", followup: true })), ...people]
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  return {
    count: (followups.count ?? followups.followups.length) + (reminders.count ?? people.length),
    overdue: (followups.overdue ?? 0) + (reminders.overdue ?? people.filter((p) => p.overdue).length),
    items: items.slice(0, limit),
  };
}

/** A person thanked or written to: the contact's reminder moves on. */
export async function reminderDone(contactId, key) {
  const { body } = await request("POST", `/api/contacts/${encodeURIComponent(contactId)}/done/${encodeURIComponent(key)}`, {});
  return body;
}

/** action: done | snooze (with days) | dismiss. */
export async function followupAction(applicationId, key, action, days) {
  const path = `/api/followups/${encodeURIComponent(applicationId)}/${encodeURIComponent(key)}/${action}`;
  const { body } = await request("POST", path, action === "snooze" ? { days } : {});
  return body;
}

/** Dismiss at once what fell due before an import (the Due list's one catch-up entry): {dismissed, applications}. */
export async function dismissCatchUp() {
  const { body } = await request("POST", "/api/followups/catch-up/dismiss", {});
  return body;
}

// -- capture and the outbox -----------------------------------------------------------------
// A capture the companion does not take at once (not running, not paired, slow to answer) is
// written to the outbox in storage.local, and sent again with backoff until it is taken. Each
// capture carries an id the companion de-duplicates on, so a retry after a lost answer never
// makes a second application. A capture is never dropped silently: until it is in the outbox,
// the click that made it is still waiting for its answer, and shows an error if there is none.

const KEEP_AFTER_MS = 1000; // a capture still unanswered by then is kept in the outbox meanwhile
// Beside each capture in the outbox, what the popup and the button show of it while it waits (its
// address, status, words and tab), small, so that asking "is this page waiting?" reads no page.
const QUEUED = "queued:";
const delivered = new Set(); // listeners told of each capture the outbox sent: {url, tab_id, result}

/** Be told of each capture the outbox sends (whoever flushed it), to show its result where it was made. */
export const onDelivered = (listener) => delivered.add(listener);

// Captures being sent right now by this worker, so a flush running alongside does not send
// them twice. Only an optimisation: if the worker dies, the companion's de-duplication holds.
const sending = new Set();

/**
 * Send a capture: {state: saved|duplicate|queued|confirm, application?, next_followup?, review?, message?}.
 * fields: what the person typed or checked before saving ({title, company, location}); status: applied or
 * saved; tabId and shown ({title}): where it was made and what it is called there, while it waits.
 * askFirst: when Applied reads the page as no posting, store nothing and answer {state: "confirm",
 * message} so the person is asked ("Log it anyway?"); a capture that has to wait in the outbox is
 * never asked about (the person is gone by then): it is stored, and flagged for review if need be.
 */
export async function capture({ url, html, status = "applied", fields = {}, tabId = null, shown = {}, askFirst = false }) {
  const item = { capture_id: crypto.randomUUID(), url, html, status, fields, queued_at: Date.now() };
  const key = OUTBOX + item.capture_id;
  const waiting = { url, status, title: fields.title || shown.title || "", company: fields.company || "",
                    location: fields.location || "", tab_id: tabId, queued_at: item.queued_at };
  let kept = null; // the outbox write, once started
  const keep = () => (kept ??= storage.set({ [key]: item, [QUEUED + item.capture_id]: waiting }));
  const forget = () => storage.remove([key, QUEUED + item.capture_id]);
  // Writing a megabyte to storage costs as much as sending it, so the usual case (the
  // companion answers at once) skips the outbox.
  const timer = setTimeout(keep, KEEP_AFTER_MS);
  sending.add(item.capture_id);
  try {
    const result = await deliver(item, { askFirst });
    if (kept) await kept.then(forget);
    return result;
  } catch (error) {
    if (!RETRYABLE.has(error.kind)) {
      if (kept) await kept.then(forget); // refused outright: sending it again would be refused again
      if (error.code === "not_a_posting" && askFirst) return { state: "confirm", message: error.message };
      throw error;
    }
    await keep();
    await storage.set({ [QUEUED + item.capture_id]: { ...waiting, reason: error.kind } });
    await scheduleRetry();
    return { state: "queued", reason: error.kind, message: error.message };
  } finally {
    clearTimeout(timer);
    sending.delete(item.capture_id);
  }
}

/** The newest capture of this address waiting in the outbox ({url, status, title, company, location, reason}), or null. */
export async function queuedFor(url) {
  const keys = (await storage.keys()).filter((key) => key.startsWith(QUEUED));
  if (!keys.length) return null;
  const found = Object.values(await storage.get(keys)).filter((waiting) => waiting.url === url);
  return found.sort((a, b) => b.queued_at - a.queued_at)[0] || null;
}

async function deliver(item, { askFirst = false } = {}) {
  const payload = { url: item.url, html: item.html, capture_id: item.capture_id, status: item.status };
  if (askFirst) payload.ask_first = true;
  for (const field of ["title", "company"]) {
    if (item.fields?.[field]) payload[field] = item.fields[field];
  }
  if (item.fields?.location) payload.locations = [item.fields.location]; // typed in the popup: it goes with the capture
  try {
    const { body } = await request("POST", "/api/applications", payload);
    return { state: body.duplicate ? "duplicate" : "saved", ...body, review: review(body) };
  } catch (error) {
    // 422 (companions before the review contract): no posting found on the page, but the capture is kept.
    if (error.status === 422 && error.body?.application) {
      const { error: problem, ...body } = error.body;
      return { state: "saved", ...body, review: review(body, false), message: problem?.message || error.message };
    }
    throw error;
  }
}

/**
 * {needed, missing, looks_like_posting}: whether the person should check what was saved. The
 * companion says so in `review`; an older one that does not is asked the same of its answer.
 */
function review(body, looksLikePosting = true) {
  if (body.review) return { needed: Boolean(body.review.needed), missing: body.review.missing || [],
                            looks_like_posting: body.review.looks_like_posting !== false };
  const missing = ["title", "company"].filter((field) => !body.application?.[field]);
  const needed = missing.length > 0 || !looksLikePosting || Boolean(body.application?.not_a_posting);
  return { needed, missing, looks_like_posting: looksLikePosting && !body.application?.not_a_posting };
}

/** The last capture the companion refused for good ({url, message}), once; null when there is none. */
export async function takeRefused() {
  const { last_refused: refused = null } = await storage.get("last_refused");
  if (refused) await storage.remove("last_refused");
  return refused;
}

export async function queuedCount() {
  return (await storage.keys()).filter((key) => key.startsWith(OUTBOX)).length;
}

let flushing = null; // one flush at a time within this worker

/** Send what waits in the outbox, oldest first; what cannot go yet waits for the retry alarm. */
export function flush() {
  flushing ??= flushOutbox().finally(() => { flushing = null; });
  return flushing;
}

async function flushOutbox() {
  const keys = (await storage.keys()).filter((key) => key.startsWith(OUTBOX));
  if (!keys.length) return clearRetry();
  const items = Object.values(await storage.get(keys)).sort((a, b) => a.queued_at - b.queued_at);
  for (const item of items) {
    if (sending.has(item.capture_id)) continue;
    sending.add(item.capture_id);
    const waitingKey = QUEUED + item.capture_id;
    const { [waitingKey]: waiting = {} } = await storage.get(waitingKey);
    let result = null;
    try {
      result = await deliver(item);
    } catch (error) {
      if (RETRYABLE.has(error.kind)) return scheduleRetry();
      // Refused for good (e.g. larger than the companion accepts): keep the reason, drop the page.
      await storage.set({ last_refused: { url: item.url, message: error.message, at: Date.now() } });
    } finally {
      sending.delete(item.capture_id);
    }
    await storage.remove([OUTBOX + item.capture_id, waitingKey]);
    if (result) for (const listener of delivered) listener({ url: item.url, tab_id: waiting.tab_id ?? null, result });
  }
  await clearRetry();
}

/** Retry in 30 s, then 1, 2, 4... minutes, at most every 30 minutes. */
async function scheduleRetry() {
  const { [RETRY_STATE]: state = { attempts: 0 } } = await storage.get(RETRY_STATE);
  const attempts = state.attempts + 1;
  const delaySeconds = Math.min(30 * 2 ** (attempts - 1), 30 * 60);
  await storage.set({ [RETRY_STATE]: { attempts } });
  await alarms.create(RETRY_ALARM, { when: Date.now() + delaySeconds * 1000 });
}

async function clearRetry() {
  await storage.remove(RETRY_STATE);
  await alarms.clear(RETRY_ALARM);
}
