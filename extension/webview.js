/* On Applied's own web view: tell the extension when the page changed, so the badge follows within seconds.
 *
 * A classic content script, declared for loopback pages. It reads nothing and sends no data: only
 * "something changed here", at most once a second; the worker checks the port is Applied's and asks
 * the companion itself whether anything changed.
 */
(() => {
  if (globalThis.__appliedWebview === true) return;
  globalThis.__appliedWebview = true;
  // Applied's pages carry its mark: other programs on loopback get no messages at all.
  if (!document.querySelector('meta[name="csrf-token"]') || !document.querySelector(".brand")) return;
  const runtime = (globalThis.browser ?? globalThis.chrome).runtime;
  const tell = () => runtime.sendMessage({ type: "webviewChanged" }).catch(() => {});
  let pending = null;
  new MutationObserver(() => {
    pending ??= setTimeout(() => { pending = null; tell(); }, 1000);
  }).observe(document.body || document.documentElement, { childList: true, subtree: true });
  tell();
})();
