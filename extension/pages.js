/** What the popup and options pages share: asking the service worker, and small DOM helpers. */
import { send } from "./browser.js";

/** Ask the service worker (the only part that talks to the companion); throws its error. */
export async function ask(type, data = {}) {
  const reply = await send({ type, ...data });
  if (reply?.error) throw Object.assign(new Error(reply.error.message), { kind: reply.error.kind });
  return reply;
}

/** Build an element: h("button", {className: "x", onclick}, "text", child...). */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name in element) element[name] = value;
    else element.setAttribute(name, value);
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

export function formatDay(day) {
  return new Date(`${day}T00:00`).toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" });
}

export const STATUSES = ["saved", "applied", "screening", "interviewing", "offer", "accepted", "rejected", "withdrawn",
  "ghosted", "archived"]; // companion/pipeline.py STATUSES
export const label = (status) => status.charAt(0).toUpperCase() + status.slice(1);
