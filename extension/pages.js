/** What the popup and options pages share: asking the service worker, their words, and small DOM helpers. */
import { language, send, t } from "./browser.js";

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
  return new Date(`${day}T00:00`).toLocaleDateString(language, { weekday: "short", month: "short", day: "numeric" });
}

export const STATUSES = ["saved", "applied", "screening", "interviewing", "offer", "accepted", "rejected", "withdrawn",
  "ghosted", "archived"]; // companion/pipeline.py STATUSES
export const label = (status) => t(`status_${status}`);

const MARK = "\u2063"; // an invisible separator: where a node goes in a message's words

/**
 * A message as the children of an element: its placeholders filled in order by `parts`, strings
 * or nodes (a link, a <code>...), so the words around them follow each language's order.
 */
export function phrase(key, ...parts) {
  const text = t(key, ...parts.map((part, index) => (typeof part === "string" ? part : `${MARK}${index}${MARK}`)));
  return text.split(new RegExp(`${MARK}(\\d+)${MARK}`))
    .map((piece, index) => (index % 2 ? parts[Number(piece)] : piece))
    .filter((piece) => piece !== "");
}

/**
 * Put a page's words in the person's language: each `data-i18n="key"` element's text (its child
 * elements, in order, fill the message's placeholders), and each `data-i18n-<attribute>="key"`.
 * The page's own English stays in the HTML, so it reads without the extension (a test keeps the two alike).
 */
export function localize(root = document) {
  document.documentElement.lang = language;
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.replaceChildren(...phrase(element.dataset.i18n, ...element.children));
  }
  for (const attribute of ["aria-label", "title", "placeholder"]) {
    for (const element of root.querySelectorAll(`[data-i18n-${attribute}]`)) {
      element.setAttribute(attribute, t(element.getAttribute(`data-i18n-${attribute}`)));
    }
  }
}
