/** Routes messages to the worker's handlers; web pages' content scripts reach only the few meant for them. */
import { fromExtensionPage, onMessage } from "./browser.js";

const handlers = new Map(); // type -> {handler, fromContent}; filled once at start-up by the features

/**
 * Register a handler for messages of one type. Only our own pages (popup, options) may send
 * it unless `fromContent` is set: a content script speaks for a web page, which must not be
 * able to change status, act on follow-ups or pair.
 */
export function handle(type, handler, { fromContent = false } = {}) {
  handlers.set(type, { handler, fromContent });
}

export function install() {
  onMessage(async (message, sender) => {
    const entry = handlers.get(message?.type);
    if (!entry) throw new Error(`no handler for ${message?.type}`);
    if (!entry.fromContent && !fromExtensionPage(sender)) throw new Error(`${message.type} is not allowed from a web page`);
    return entry.handler(message, sender);
  });
}
