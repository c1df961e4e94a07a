/** Follow-ups: the toolbar badge counting those due, a daily notification, and done/snooze from the popup. */
import * as api from "./api.js";
import { alarms, badge, notifications, onInstalled, onStartup, openTab, storage } from "./browser.js";
import { handle } from "./router.js";
import { baseUrl, load as loadSettings } from "./settings.js";

export const REFRESH_ALARM = "applied-refresh";
const REFRESH_MINUTES = 30;
const NOTIFIED = "notified_on"; // the day of the last notification: at most one a day
const NOTIFICATION_ID = "applied-followups";

/** Count what is due today (and overdue) on the badge; notify once a day. Returns the follow-ups. */
export async function refreshBadge() {
  let due;
  try {
    due = await api.followupsDue();
  } catch (error) {
    // Not running or not paired: a "!" says the count cannot be known, the popup says why.
    await badge.set(await api.queuedCount() ? "…" : "!", "#8a6d00");
    throw error;
  }
  const count = due.count ?? due.followups.length;
  await badge.set(count ? String(count) : "", "#1f7a4c");
  if (count) await notifyOnceToday(count);
  return due;
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
    title: "Applied",
    message: count === 1 ? "1 follow-up is due today." : `${count} follow-ups are due today.`,
  });
}

async function followupAction({ applicationId, key, action, days }) {
  if (!["done", "snooze", "dismiss"].includes(action)) throw new Error(`unknown follow-up action ${action}`);
  const body = await api.followupAction(applicationId, key, action, days);
  await refreshBadge().catch(() => {});
  return body;
}

export function install() {
  handle("followupAction", followupAction);
  const schedule = () => alarms.create(REFRESH_ALARM, { periodInMinutes: REFRESH_MINUTES, delayInMinutes: 1 });
  onInstalled(schedule);
  onStartup(schedule);
  alarms.onAlarm(REFRESH_ALARM, () => api.flush().finally(refreshBadge).catch(() => {}));
  notifications.onClicked(async (id) => {
    if (id === NOTIFICATION_ID) openTab(`${baseUrl(await loadSettings())}/followups`);
  });
}
