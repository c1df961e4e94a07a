/** The options page: what to do first, where the companion runs, pairing with it, where the button shows, notifications. */
import { permissions } from "../browser.js";
import { ORIGINS } from "../everywhere.js";
import { ask } from "../pages.js";
import { baseUrl, load, save } from "../settings.js";

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
  $("webview").href = baseUrl(settings) + "/";
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
  if (connection.state === "ok") text = "Paired: this browser can log applications.";
  // The code is the only thing that tells this request from a look-alike: the person types it in Applied.
  else if (connection.state === "pairing" && connection.pairing?.code) text += ` Code: ${connection.pairing.code}`;
  $("pair-state").textContent = text;
  $("pair").textContent = connection.state === "ok" ? "Pair again" : "Pair with Applied";
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
    $("saved").textContent = "Saved.";
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
    $("sites-state").textContent = on ? "The button now shows on job postings on every site." : box.checked
      ? "The browser did not give Applied access to other sites: the button stays on the sites it knows."
      : "The button shows on the sites Applied knows.";
  } catch (error) {
    on = false;
    $("sites-state").textContent = error.message;
  }
  box.checked = on;
});

$("autoLog").addEventListener("change", async (event) => {
  await save({ autoLog: event.currentTarget.checked });
  $("sites-state").textContent = event.currentTarget.checked
    ? "Applications are logged when the site confirms them." : "The thank-you page's button asks first.";
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
