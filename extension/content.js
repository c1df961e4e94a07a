/* The "I applied" button on job pages: shows whether the page is tracked, and captures the rendered page on click.
 *
 * A classic script, because content scripts declared in a manifest cannot be ES modules. It speaks to
 * the extension only through runtime messages to the service worker, which does all the talking to
 * the companion (a fetch from here would carry the web page's origin).
 */
(() => {
  // The popup, menu or shortcut may inject this into a page that already has it. `=== true`,
  // because a page element with that id shows up on the window here too (DOM clobbering).
  if (globalThis.__appliedContentScript === true) return;
  globalThis.__appliedContentScript = true;

  // The one line outside browser.js that touches the extension API: a classic script cannot import it.
  const runtime = (globalThis.browser ?? globalThis.chrome).runtime;

  const LABELS = {
    saved: "Saved", applied: "Applied", screening: "Screening", interviewing: "Interviewing", offer: "Offer",
    accepted: "Accepted", rejected: "Rejected", withdrawn: "Withdrawn", ghosted: "Ghosted", archived: "Archived",
  };
  const APPLY_TEXT = /^(apply|apply now|apply here|easy apply|quick apply|apply for this (job|position|role)|apply on company (site|website)|submit (your )?application)$/i;
  // Where known sites put a posting's title once their script has rendered it (single-page sites render late).
  const POSTING_SELECTORS = [
    '[data-automation-id="jobPostingHeader"]', // Workday
    ".ashby-job-posting-heading", // Ashby
    ".job-details-jobs-unified-top-card__job-title, .jobs-unified-top-card__job-title, .top-card-layout__title", // LinkedIn
    ".posting-headline", // Lever
    ".app-title, .job__title", // Greenhouse
    '[data-ui="job-title"]', // Workable
    "h1.job-title", // SmartRecruiters
    '[data-testid="jobsearch-JobInfoHeader-title"], .jobsearch-JobInfoHeader-title', // Indeed
  ].join(", ");
  const STYLE = `
    :host { all: initial; display: inline-block; margin: 0 8px; vertical-align: middle; }
    :host(.floating) { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; margin: 0; }
    .box { font: 600 14px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; display: inline-block;
           padding: 8px 14px; border-radius: 999px; border: 1px solid #1f7a4c;
           box-shadow: 0 1px 4px rgba(0,0,0,.18); background: #fff; color: #1f7a4c; white-space: nowrap; }
    button.box { cursor: pointer; background: #1f7a4c; color: #fff; }
    button.box:hover { background: #176140; }
    button.box:focus-visible { outline: 3px solid #8fd1ae; outline-offset: 2px; }
    button.box:disabled { cursor: progress; opacity: .8; }
    .box.error { border-color: #b3261e; }
    button.box.error { background: #b3261e; }
    .note { font-weight: 400; opacity: .85; }
  `;

  let view = null; // {host, root}: the button's shadow-DOM home on the page
  let pageUrl = null; // the posting URL the view belongs to
  let shown = null; // what the view shows for pageUrl (kept so a re-rendering site cannot lose it)
  let forced = false; // captured from the popup/menu on a page that does not look like a posting
  let busy = null;

  /** The URL of the posting on screen (LinkedIn's search view shows one posting by its id). */
  function postingUrl() {
    const url = new URL(location.href);
    const jobId = url.searchParams.get("currentJobId");
    if (url.hostname === "www.linkedin.com" && jobId && /^\d+$/.test(jobId) && !url.pathname.includes("/jobs/view/")) {
      return `https://www.linkedin.com/jobs/view/${jobId}/`;
    }
    return location.href;
  }

  function hasPosting() {
    for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
      if (script.textContent.includes("JobPosting")) return true;
    }
    if (document.querySelector(POSTING_SELECTORS)) return true;
    return Boolean(document.querySelector("h1") && findApplyButton());
  }

  function findApplyButton() {
    const candidates = document.querySelectorAll('a, button, [role="button"], input[type="submit"]');
    for (let i = 0; i < candidates.length && i < 3000; i++) {
      const element = candidates[i];
      const text = (element.value || element.textContent || "").replace(/\s+/g, " ").trim();
      if (text.length < 40 && APPLY_TEXT.test(text) && element.getClientRects().length) return element;
    }
    return null;
  }

  function mount() {
    const host = document.createElement("applied-extension-button");
    // Closed: the page's scripts cannot read what the person tracks, nor press the button.
    const root = host.attachShadow({ mode: "closed" });
    const style = document.createElement("style");
    style.textContent = STYLE;
    root.append(style, document.createElement("span"));
    const anchor = findApplyButton();
    if (anchor) {
      anchor.insertAdjacentElement("afterend", host);
    } else {
      host.className = "floating";
      (document.body || document.documentElement).append(host);
    }
    view = { host, root };
  }

  function unmount() {
    view?.host.remove();
    view = null;
  }

  function followupPart(next) {
    if (!next?.due) return [];
    const time = document.createElement("time");
    time.dateTime = next.due;
    time.textContent = new Date(`${next.due}T00:00`).toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" });
    return [" · follow up ", time];
  }

  /** state.kind: new | busy | tracked | queued | error. */
  function render(state) {
    shown = state;
    if (!view) return;
    const old = view.root.lastChild;
    let element;
    if (state.kind === "tracked") {
      element = document.createElement("span");
      element.setAttribute("role", "status");
      const status = state.application.status;
      element.append(`${LABELS[status] || status} ✓`, ...followupPart(state.next_followup));
      if (state.note) element.append(Object.assign(document.createElement("span"), { className: "note", textContent: ` · ${state.note}` }));
      element.title = `${state.application.title || ""}${state.application.company ? ` at ${state.application.company}` : ""}: tracked in Applied`;
    } else if (state.kind === "queued") {
      element = document.createElement("span");
      element.setAttribute("role", "status");
      element.textContent = state.reason === "unpaired" ? "Queued ✓ · saved once paired" : "Queued ✓ · saved when Applied runs";
      element.title = state.message || "";
    } else {
      element = document.createElement("button");
      element.type = "button";
      element.textContent = { busy: "Saving…", error: "Not saved · try again" }[state.kind] || "I applied";
      element.disabled = state.kind === "busy";
      element.title = state.kind === "error" ? state.message : "Log this application in Applied";
      element.addEventListener("click", (event) => {
        if (event.isTrusted) capture(); // the page's own scripts cannot apply on the person's behalf
      });
    }
    element.classList.add("box");
    if (state.kind === "error") element.classList.add("error");
    view.root.replaceChild(element, old);
  }

  async function send(message) {
    try {
      const reply = await runtime.sendMessage(message);
      if (reply?.error) throw new Error(reply.error.message);
      return reply;
    } catch (error) {
      const gone = /context invalidated|receiving end/i.test(error.message);
      throw new Error(gone ? "Applied was updated or restarted: reload this page." : error.message);
    }
  }

  async function lookup() {
    const url = pageUrl;
    let reply;
    try {
      reply = await send({ type: "lookup", url });
    } catch {
      reply = { state: "new" };
    }
    if (url !== pageUrl || busy) return; // the person moved on, or clicked meanwhile
    if (reply.state === "companion") {
      stop(); // our own web view
    } else if (reply.state === "tracked" && reply.application.status !== "saved") {
      render({ kind: "tracked", application: reply.application, next_followup: reply.next_followup });
    } else {
      render({ kind: "new" });
    }
  }

  async function capture() {
    if (busy) return busy;
    check({ force: true });
    performance.mark("applied:click");
    render({ kind: "busy" });
    const url = pageUrl;
    const doctype = document.doctype ? `<!DOCTYPE ${document.doctype.name}>` : "";
    busy = send({ type: "capture", url, html: doctype + document.documentElement.outerHTML })
      .then((result) => {
        if (url === pageUrl) {
          if (result.state === "queued") render({ kind: "queued", reason: result.reason, message: result.message });
          else render({ kind: "tracked", application: result.application, next_followup: result.next_followup,
                        note: result.state === "duplicate" ? "already tracked" : result.warning ? "no posting details found" : "" });
          performance.measure("applied:capture", "applied:click");
        }
        return result;
      }, (error) => {
        if (url === pageUrl) render({ kind: "error", message: error.message });
        return { state: "error", message: error.message };
      })
      .finally(() => { busy = null; });
    return busy;
  }

  /**
   * Bring the view in line with the page: a new URL, a posting that appeared, a site that re-rendered.
   * force: show the view even if the page does not look like a posting (a capture from the popup, menu or shortcut).
   */
  function check({ force = false } = {}) {
    const url = postingUrl();
    if (url !== pageUrl) {
      unmount();
      pageUrl = url;
      shown = null;
      forced = false;
    }
    forced ||= force;
    if (view?.host.isConnected) return;
    if (!forced && !hasPosting()) {
      unmount();
      return;
    }
    mount();
    if (shown) render(shown);
    else {
      render({ kind: "new" });
      lookup();
    }
  }

  // Single-page sites render the posting late and change it without reloading: look again
  // after the page changes (at most every 200 ms) and when the history moves.
  let pending = null;
  const observer = new MutationObserver(() => {
    pending ??= setTimeout(() => { pending = null; check(); }, 200);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  const recheck = () => check(); // not check itself: its options must not come from an event
  addEventListener("popstate", recheck);
  addEventListener("hashchange", recheck);

  function stop() {
    observer.disconnect();
    removeEventListener("popstate", recheck);
    removeEventListener("hashchange", recheck);
    unmount();
  }

  runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (message?.type === "capture-now") {
      capture().then(sendResponse);
      return true;
    }
    if (message?.type === "refresh") {
      shown = null;
      if (view) lookup();
    }
    return false;
  });

  check();
})();
