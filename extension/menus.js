/** The context-menu item and the keyboard shortcut: "I applied" on any page. */
import { menus, notifications, onCommand, onInstalled, t } from "./browser.js";
import { captureTab } from "./capture.js";

const MENU_ID = "applied-capture";
const COMMAND = "capture-page"; // declared in manifest.json "commands"

async function captureFrom(tab) {
  try {
    await captureTab(tab.id); // the page itself shows the result
  } catch (error) {
    notifications.create("applied-capture-failed", { title: t("notify_not_captured"), message: error.message });
  }
}

export function install() {
  onInstalled(() => menus.reset([{ id: MENU_ID, title: t("menu_capture"), contexts: ["page"] }]));
  menus.onClicked((info, tab) => {
    if (info.menuItemId === MENU_ID && tab) captureFrom(tab);
  });
  onCommand((command, tab) => {
    if (command === COMMAND && tab) captureFrom(tab);
  });
}
