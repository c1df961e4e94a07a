/** The opt-in "Show the button on every job posting I visit": the content script registered on every site while it is on. */
import { onInstalled, onStartup, permissions, registeredScripts, storage } from "./browser.js";
import { load as loadSettings } from "./settings.js";

export const ORIGINS = ["https://*/*", "http://*/*"]; // manifest.json optional_host_permissions
const SCRIPT_ID = "applied-every-posting";

/**
 * Register or unregister the content script to match the setting and the permission the person
 * granted (they may take it back in the browser's own settings). On pages without a posting the
 * script does one quick look and stays out of the way.
 */
export async function sync() {
  const { everyPosting } = await loadSettings();
  const granted = everyPosting && (await permissions.contains(ORIGINS));
  const registered = (await registeredScripts.ids()).includes(SCRIPT_ID);
  if (granted && !registered) {
    await registeredScripts.register([{
      id: SCRIPT_ID, matches: ORIGINS, excludeMatches: ["http://127.0.0.1/*", "http://localhost/*", "http://*.localhost/*"],
      js: ["extension/content.js"], runAt: "document_idle", allFrames: false, persistAcrossSessions: true,
    }]);
  } else if (!granted && registered) {
    await registeredScripts.unregister([SCRIPT_ID]);
  }
  return { on: Boolean(granted) };
}

export function install() {
  const quietly = () => { sync().catch(() => {}); };
  onInstalled(quietly);
  onStartup(quietly);
  storage.onChanged((changes) => {
    if (changes.settings) quietly();
  });
}
