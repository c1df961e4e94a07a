/* On Applied's own web view: tell the extension when the page changed, so the badge follows within seconds;
 * on its sign-in page, offer to sign in through the extension.
 *
 * A classic content script, declared for loopback pages. It reads nothing and sends no data: only
 * "something changed here", at most once a second; the worker checks the port is Applied's and asks
 * the companion itself whether anything changed.
 */
(() => {
  if (globalThis.__appliedWebview === true) return;
  globalThis.__appliedWebview = true;
  const runtime = (globalThis.browser ?? globalThis.chrome).runtime;
  // The sign-in page: its "Open Applied from the extension" shows only where the extension is, and asks
  // the worker to sign this tab in (the worker checks the page is Applied's own, on its port).
  const signIn = document.querySelector('meta[name="applied-sign-in"]') && document.getElementById("open-from-extension");
  if (signIn) {
    signIn.hidden = false;
    signIn.addEventListener("click", (event) => {
      if (!event.isTrusted) return; // the person's click, not a script's
      signIn.disabled = true;
      runtime.sendMessage({ type: "signInHere" }).then((reply) => {
        if (reply?.error) document.getElementById("extension-problem").textContent = reply.error.message;
      }, () => {}).finally(() => { signIn.disabled = false; });
    });
    return;
  }
  // Applied's pages carry its mark: other programs on loopback get no messages at all.
  if (!document.querySelector('meta[name="csrf-token"]') || !document.querySelector(".brand")) return;
  const tell = () => runtime.sendMessage({ type: "webviewChanged" }).catch(() => {});
  let pending = null;
  new MutationObserver(() => {
    pending ??= setTimeout(() => { pending = null; tell(); }, 1000);
  }).observe(document.body || document.documentElement, { childList: true, subtree: true });
  tell();
})();
