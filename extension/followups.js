/** What is due: the toolbar badge (the web view's Due count), kept current within seconds, a daily notification, and done/snooze from the popup. */
import * as api from "./api.js";
import { alarms, badge, notifications, onInstalled, onStartup, openTab, session, storage, t, tCount } from "./browser.js";
import { handle } from "./router.js";
import { load as loadSettings } from "./settings.js";

export const REFRESH_ALARM = "applied-refresh";
const REFRESH_MINUTES = 1; // each look costs one tiny request; the count is asked for only when something changed
const NOTIFIED = "notified_on"; // the day of the last notification: at most one a day
const NOTIFICATION_ID = "applied-followups";
const SEEN = "seen_version"; // the companion's change counter when the badge was last counted, and that day
const OVERDUE = "#c4332b";
const DUE = "#1f7a45";

// Counts run one at a time: two that overlap (the web view's page before and after a change, say)
// could finish out of order, and the older one would leave its stale count and version behind.
let queue = Promise.resolve();
function oneAtATime(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

/** Count what is due today (and overdue) on the badge; notify once a day. Returns {count, overdue, items}. */
export function refreshBadge(options) {
  return oneAtATime(() => countNow(options));
}

async function countNow({ limit = 5 } = {}) {
  let due, version;
  try {
    // The change counter first, then the count: a change landing between the two moves the counter
    // past the version kept, so the next sync counts again (read the other way round, it is lost).
    ({ version } = await api.changes().catch(() => ({})));
    due = await api.due({ limit });
  } catch (error) {
    // Not running or not paired: a "!" says the count cannot be known, the popup says why.
    const queued = await api.queuedCount();
    await badge.set(queued ? "…" : "!", "#9a6200", t(queued ? "badge_title_queued" : "badge_title_unknown"));
    throw error;
  }
  const title = due.count ? tCount(due.count, "badge_title_due_one", "badge_title_due_other") : t("ext_name");
  await badge.set(due.count ? String(due.count) : "", due.overdue ? OVERDUE : DUE,
                  due.overdue ? t("badge_title_overdue", title, due.overdue) : title);
  await session.set({ [SEEN]: { version: version ?? null, day: api.localDay() } });
  if (due.count) await notifyOnceToday(due.count);
  return due;
}

/** Count again only if the companion changed since the last count (or the day turned). */
export function syncBadge() {
  return oneAtATime(async () => {
    const { [SEEN]: seen } = await session.get(SEEN);
    if (seen?.version && seen.day === api.localDay()) {
      const { changed } = await api.changes(seen.version);
      if (!changed) return null;
    }
    return countNow({ limit: 0 }); // the count only: nobody is looking at the list
  });
}

async function notifyOnceToday(count) {
  const settings = await loadSettings();
  const today = api.localDay();
  const { [NOTIFIED]: last } = await storage.get(NOTIFIED);
  if (!settings.notifications || last === today) return;
  // The option here is this browser's; Applied's own settings have one for all of them. Either turns it off.
  if (!(await api.userSettings()).notifications) return;
  await storage.set({ [NOTIFIED]: today });
  await notifications.create(NOTIFICATION_ID, {
    title: t("ext_name"),
    message: tCount(count, "notify_due_one", "notify_due_other"),
  });
}

async function followupAction({ applicationId, contactId, key, action, days, catchUp = false }) {
  if (!["done", "snooze", "dismiss"].includes(action)) throw new Error(`unknown follow-up action ${action}`);
  const body = catchUp ? await api.dismissCatchUp()
    : contactId ? await api.reminderDone(contactId, key) : await api.followupAction(applicationId, key, action, days);
  await refreshBadge().catch(() => {});
  return body;
}

/**
 * Applied's web view, open in a tab, changed something (its small script tells us after each
 * change): count again if the companion says anything changed.
 */
async function webviewChanged(message, sender) {
  const settings = await loadSettings();
  const { hostname, port } = new URL(sender.url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(hostname) || Number(port || 80) !== settings.port) return null;
  await syncBadge().catch(() => {});
  return null;
}

export function install() {
  handle("followupAction", followupAction);
  handle("webviewChanged", webviewChanged, { fromContent: true });
  const schedule = () => alarms.create(REFRESH_ALARM, { periodInMinutes: REFRESH_MINUTES, delayInMinutes: REFRESH_MINUTES });
  onInstalled(schedule);
  onStartup(schedule);
  alarms.onAlarm(REFRESH_ALARM, () => api.flush().finally(syncBadge).catch(() => {}));
  notifications.onClicked(async (id) => {
    if (id === NOTIFICATION_ID) openTab(await api.webviewAddress());
  });
}
