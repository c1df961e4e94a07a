/** The background worker: one module per feature, each registering its listeners at start-up.
 *
 * MV3 stops this worker when idle, so nothing here keeps state in variables:
 * settings, the outbox of captures and pairing live in storage.local.
 */
import * as router from "./router.js";
import * as capture from "./capture.js";
import * as everywhere from "./everywhere.js";
import * as flow from "./flow.js";
import * as followups from "./followups.js";
import * as menus from "./menus.js";
import * as overview from "./overview.js";
import * as start from "./start.js";

// Listeners must be registered synchronously, on every start, for the browser to wake us for them.
router.install();
capture.install();
everywhere.install();
flow.install();
followups.install();
menus.install();
overview.install();
start.install();
