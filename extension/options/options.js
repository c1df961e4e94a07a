/** The options page: what to do first, where the companion runs, pairing with it, where the button shows, notifications. */
import { permissions, t } from "../browser.js";
import { ORIGINS } from "../everywhere.js";
import { ask, localize } from "../pages.js";
import { load, save, webviewUrl } from "../settings.js";

localize();

const $ = (id) => document.getElementById(id);
const POLL_MS = 2000;
let timer = null;

async function fill() {
  const settings = await load();
  $("host").value = settings.host;
  $("port").value = settings.port;
  $("token").value = settings.token;
  $("notifications").checked = settings.notifications;
  $("everyPosting").checked = settings.everyPosting && (await permissions.contains(ORIGINS));
  $("autoLog").checked = settings.autoLog;
  $("webview").href = webviewUrl(settings) + "/";
}

async function showConnection() {
  clearTimeout(timer);
  let connection;
  try {
    connection = await ask("checkConnection");
  } catch (error) {
    connection = { state: "error", message: error.message };
  }
  let text = connection.message;
  if (connection.state === "ok") text = t("options_paired");
  // The code is the only thing that tells this request from a look-alike: the person types it in Applied.
  else if (connection.state === "pairing" && connection.pairing?.code) text += ` ${t("common_code", connection.pairing.code)}`;
  $("pair-state").textContent = text;
  $("pair").textContent = t(connection.state === "ok" ? "common_pair_again" : "common_pair");
  $("pair").disabled = connection.state === "pairing" || connection.state === "down";
  document.body.dataset.state = connection.state;
  // Getting started: cross out what is done.
  $("step-run").classList.toggle("done", connection.state !== "down");
  $("step-pair").classList.toggle("done", connection.state === "ok");
  if (["pairing", "down"].includes(connection.state)) timer = setTimeout(showConnection, POLL_MS);
  else await fill(); // pairing may just have stored a token
}

$("settings").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await save({ host: $("host").value, port: $("port").value, token: $("token").value, notifications: $("notifications").checked,
                 autoLog: $("autoLog").checked });
    $("saved").textContent = t("options_saved");
  } catch (error) {
    $("saved").textContent = error.message;
  }
  await showConnection();
});

// Asked at the moment the person turns it on (the browser shows its own question), and given back when off.
$("everyPosting").addEventListener("change", async (event) => {
  const box = event.currentTarget;
  let on = box.checked;
  try {
    if (on) on = await permissions.request(ORIGINS);
    else await permissions.remove(ORIGINS).catch(() => false);
    await save({ everyPosting: on });
    $("sites-state").textContent = t(on ? "options_sites_on" : box.checked ? "options_sites_refused" : "options_sites_known");
  } catch (error) {
    on = false;
    $("sites-state").textContent = error.message;
  }
  box.checked = on;
});

$("autoLog").addEventListener("change", async (event) => {
  await save({ autoLog: event.currentTarget.checked });
  $("sites-state").textContent = t(event.currentTarget.checked ? "options_auto_log_on" : "options_auto_log_off");
});

$("webview").addEventListener("click", (event) => {
  event.preventDefault();
  ask("openWebview").catch((error) => { $("pair-state").textContent = error.message; });
});

$("pair").addEventListener("click", async () => {
  try {
    await ask("pair");
  } catch (error) {
    $("pair-state").textContent = error.message;
    return;
  }
  await showConnection();
});

await fill();
await showConnection();
