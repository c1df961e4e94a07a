/** The options page: where the companion runs, pairing with it, and notifications. */
import { ask } from "../pages.js";
import { load, save } from "../settings.js";

const $ = (id) => document.getElementById(id);
const POLL_MS = 2000;
let timer = null;

async function fill() {
  const settings = await load();
  $("host").value = settings.host;
  $("port").value = settings.port;
  $("token").value = settings.token;
  $("notifications").checked = settings.notifications;
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
  if (["pairing", "down"].includes(connection.state)) timer = setTimeout(showConnection, POLL_MS);
  else await fill(); // pairing may just have stored a token
}

$("settings").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await save({ host: $("host").value, port: $("port").value, token: $("token").value, notifications: $("notifications").checked });
    $("saved").textContent = "Saved.";
  } catch (error) {
    $("saved").textContent = error.message;
  }
  await showConnection();
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
