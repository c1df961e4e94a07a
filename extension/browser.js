/** The one seam over the WebExtension API: Chrome's `chrome.*` and Firefox's `browser.*`. */

// Firefox has both (with `browser` returning promises); Chrome has `chrome` only, and
// its MV3 APIs return promises too, so one object serves both.
const ext = globalThis.browser ?? globalThis.chrome;

export const isFirefox = ext.runtime.getURL("").startsWith("moz-extension:");
export const extensionOrigin = ext.runtime.getURL("").replace(/\/$/, "");

export const url = (path) => ext.runtime.getURL(path);
export const manifest = () => ext.runtime.getManifest();
export const platform = () => ext.runtime.getPlatformInfo();
export const openOptions = () => ext.runtime.openOptionsPage();

// -- storage.local: everything that must outlive the service worker ----------------------
export const storage = {
  get: (keys) => ext.storage.local.get(keys),
  set: (items) => ext.storage.local.set(items),
  remove: (keys) => ext.storage.local.remove(keys),
  async keys() {
    // getKeys() avoids reading queued pages (up to megabytes each) just to count them.
    if (ext.storage.local.getKeys) return ext.storage.local.getKeys();
    return Object.keys(await ext.storage.local.get(null));
  },
  onChanged: (listener) => ext.storage.onChanged.addListener((changes, area) => {
    if (area === "local") listener(changes);
  }),
};

// storage.session: what matters only while the browser runs (the posting each tab opened).
// Firefox before 115 has none; there the memory lives in storage.local and is cleared at start-up.
const sessionArea = ext.storage.session ?? ext.storage.local;
export const session = {
  get: (keys) => sessionArea.get(keys),
  set: (items) => sessionArea.set(items),
  remove: (keys) => sessionArea.remove(keys),
};

// -- messages between the worker, its pages and content scripts --------------------------
export const send = (message) => ext.runtime.sendMessage(message);
export const sendToTab = (tabId, message) => ext.tabs.sendMessage(tabId, message, { frameId: 0 });

/** Answer messages with an async handler: `handler(message, sender)` resolves to the reply. */
export function onMessage(handler) {
  ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
    handler(message, sender).then(sendResponse, (error) =>
      sendResponse({ error: { kind: error.kind || "internal", message: error.message || String(error) } }));
    return true; // the reply comes later
  });
}

/** True when a message came from one of our own pages (popup, options), not a web page. */
export const fromExtensionPage = (sender) =>
  sender.id === ext.runtime.id && typeof sender.url === "string" && sender.url.startsWith(extensionOrigin + "/");

// -- lifecycle ------------------------------------------------------------------------------
export const onInstalled = (listener) => ext.runtime.onInstalled.addListener(listener);
export const onStartup = (listener) => ext.runtime.onStartup.addListener(listener);

// -- tabs and pages ------------------------------------------------------------------------
export const activeTab = async () => (await ext.tabs.query({ active: true, currentWindow: true }))[0];
export const getTab = (tabId) => ext.tabs.get(tabId);
export const openTab = (href) => ext.tabs.create({ url: href });
export const showInTab = (tabId, href) => ext.tabs.update(tabId, { url: href });
export const injectContentScript = (tabId) =>
  ext.scripting.executeScript({ target: { tabId }, files: ["extension/content.js"] });
export const onTabRemoved = (listener) => ext.tabs.onRemoved.addListener(listener);
export const onTabCreated = (listener) => ext.tabs.onCreated.addListener(listener);

/** Open the toolbar popup (Chrome 127+, Firefox 127+); false where the browser does not allow it now. */
export async function openPopup() {
  try {
    await ext.action.openPopup();
    return true;
  } catch {
    return false;
  }
}

// -- native messaging: Applied's host, which `applied setup` registered and the browser starts for us alone ---
const NATIVE_HOST = "applied.companion"; // companion/native.py HOST_NAME

export const nativeHost = {
  /** One request to a new host process; rejects when no host is registered, or the browser refuses us. */
  send(message) {
    if (!ext.runtime.sendNativeMessage) return Promise.reject(new Error("native messaging is not available"));
    return ext.runtime.sendNativeMessage(NATIVE_HOST, message);
  },
  /** A lasting connection: onMessage(message) for what the host pushes, onEnd(reason) once it ends. */
  connect(onMessage, onEnd) {
    const port = ext.runtime.connectNative(NATIVE_HOST);
    port.onMessage.addListener(onMessage);
    port.onDisconnect.addListener((ended) => onEnd(ext.runtime.lastError?.message || ended?.error?.message || ""));
    return { post: (message) => port.postMessage(message), end: () => port.disconnect() };
  },
};

// -- optional permissions and content scripts registered at run time -------------------------
export const permissions = {
  /** Ask the person (must run in the handler of their click). */
  request: (origins) => ext.permissions.request({ origins }),
  contains: (origins) => ext.permissions.contains({ origins }),
  remove: (origins) => ext.permissions.remove({ origins }),
};

export const registeredScripts = {
  async ids() {
    return (await ext.scripting.getRegisteredContentScripts()).map((script) => script.id);
  },
  register: (scripts) => ext.scripting.registerContentScripts(scripts),
  unregister: (ids) => ext.scripting.unregisterContentScripts({ ids }),
};

// -- toolbar badge, alarms, notifications, menus, shortcuts ---------------------------------
export const badge = {
  /** The badge's text and colour, and the toolbar button's title saying what they mean. */
  set: async (text, color, title) => {
    await ext.action.setBadgeText({ text });
    if (color) await ext.action.setBadgeBackgroundColor({ color });
    if (title) await ext.action.setTitle({ title });
  },
  get: () => ext.action.getBadgeText({}),
};

export const alarms = {
  create: (name, info) => ext.alarms.create(name, info),
  get: (name) => ext.alarms.get(name),
  clear: (name) => ext.alarms.clear(name),
  onAlarm: (name, listener) => ext.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === name) listener(alarm);
  }),
};

export const notifications = {
  create: (id, options) => ext.notifications.create(id, { type: "basic", iconUrl: url("extension/icons/icon-128.png"), ...options }),
  onClicked: (listener) => ext.notifications.onClicked.addListener(listener),
};

export const menus = {
  /** Replace our context-menu items (an earlier install's items may still be there). */
  async reset(items) {
    await ext.contextMenus.removeAll();
    for (const item of items) ext.contextMenus.create(item);
  },
  onClicked: (listener) => ext.contextMenus.onClicked.addListener(listener),
};

export const onCommand = (listener) => ext.commands.onCommand.addListener(listener);

// -- words in the person's language (extension/_locales/<language>/messages.json) -------------

/** The message `key` in the browser's language, `subs` filling its placeholders in order ($1, $2...). */
export const t = (key, ...subs) => ext.i18n.getMessage(key, subs.map(String)) || key;

/** The message for `count` things: `one` where the language says one (1; 0 and 1 in French), `other` otherwise. */
export const tCount = (count, one, other) => t(new Intl.PluralRules(language).select(count) === "one" ? one : other, count);

// The words' language, for dates and <html lang>: the browser's own where it is a variant of it
// (en-GB keeps its day-month order), else the language the words fell back to.
const uiLanguage = ext.i18n.getUILanguage();
export const language = uiLanguage.split(/[-_]/)[0].toLowerCase() === t("ext_language") ? uiLanguage : t("ext_language");

