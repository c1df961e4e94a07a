/* The "I applied" button on job pages: shows whether the posting is tracked, and captures the rendered page on click.
 *
 * A classic script, because content scripts declared in a manifest cannot be ES modules. It speaks to
 * the extension only through runtime messages to the service worker, which does all the talking to
 * the companion (a fetch from here would carry the web page's origin).
 *
 * What the button says stays out of reach of the page's own scripts: it is a mark of fixed size
 * whatever it says (in every language: longer words are shortened, never drawn below 12 px), its
 * words are drawn on a canvas inside a closed shadow root (so `window.find` and text measurements
 * learn nothing), and assistive technology reads them from `aria-label`.
 */
(() => {
  // The popup, menu or shortcut may inject this into a page that already has it. `=== true`,
  // because a page element with that id shows up on the window here too (DOM clobbering).
  if (globalThis.__appliedContentScript === true) return;
  globalThis.__appliedContentScript = true;

  // The few lines outside browser.js that touch the extension API: a classic script cannot import it.
  const ext = globalThis.browser ?? globalThis.chrome;
  const runtime = ext.runtime;
  /** The message `key` in the browser's language (_locales), `subs` filling its placeholders in order. */
  const t = (key, ...subs) => ext.i18n.getMessage(key, subs.map(String)) || key;
  const uiLanguage = ext.i18n.getUILanguage();
  const language = uiLanguage.split(/[-_]/)[0].toLowerCase() === t("ext_language") ? uiLanguage : t("ext_language");
  const label = (status) => (/^[a-z]+$/.test(status) && ext.i18n.getMessage(`status_${status}`)) || status;
  // "Apply" in English, French, German, Spanish, Dutch and Portuguese, as a word of a short control's
  // text: "Apply now", "1-Click Apply", "Apply on employer site", "Postuler", "Jetzt bewerben",
  // "Solicitar", "Candidatar-se", "Nu solliciteren". Not "Applied", "Application" nor "Apply filters".
  const APPLY_WORD = new RegExp(String.raw`(?:^|[\s·|>-])(?:apply|postuler|postulez|je postule|candidater|bewerben|bewirb|` +
    String.raw`solicitar|solicita|postular|postúlate|postulate|aplicar|candidatar|candidate-se|candidata-te|solliciteer|` +
    String.raw`solliciteren|submit (?:your |my )?application|envoyer (?:ma|votre) candidature|bewerbung (?:absenden|senden)|` +
    String.raw`enviar (?:solicitud|candidatura)|sollicitatie versturen|enviar candidatura)(?=$|[\s!.:›»→-])`, "i");
  const NOT_APPLY = /filt|appliqu|sort/i;
  // What a page says once an application went through, in the same languages.
  const CONFIRMATION = new RegExp([
    String.raw`thank(?:s| you) for (?:your )?appl`, String.raw`(?:your )?application (?:was |has been |is )?(?:successfully )?(?:submitted|sent|received|complete)`,
    String.raw`merci (?:pour|de) (?:votre|ta) (?:candidature|postulation)`, String.raw`candidature (?:a (?:bien )?été |bien )?(?:envoyée|transmise|reçue|enregistrée)`,
    String.raw`dank(?:e)? für (?:ihre|deine) bewerbung`, String.raw`bewerbung (?:wurde |ist )?(?:erfolgreich )?(?:gesendet|versendet|verschickt|eingereicht|übermittelt|eingegangen)`,
    String.raw`gracias por (?:tu|su) (?:solicitud|postulación|candidatura|aplicación)`, String.raw`(?:solicitud|postulación|candidatura) (?:fue |ha sido )?(?:enviada|recibida)`,
    String.raw`bedankt voor (?:je|jouw|uw) sollicitatie`, String.raw`sollicitatie (?:is )?(?:succesvol )?(?:verzonden|verstuurd|ontvangen|ingediend)`,
    String.raw`obrigad[oa] (?:pela|por) (?:sua |tua |a )?candidatura`, String.raw`candidatura (?:foi )?(?:enviada|submetida|recebida)`,
  ].join("|"), "i");
  // An apply step's address: /apply, /application, their translations; a form asking for a CV says it too.
  const STEP_PATH = /\/(?:apply|application|applications|candidature|candidater|postuler|bewerbung|bewerben|solicitud|postular|solliciteren|candidatura)(?:\/|$|\?)/i;
  // Each known site's own marks of a posting: where its script puts the title once rendered (single-page
  // sites render late), or words of the data its server page carries for that script. The build writes
  // them from the site registry (each module's hosts, `marker` and `marker_script`): [[host regex, selector,
  // [words]]]. Only the current host's are looked for, so other pages never pay for them.
  const SITES = []; // written by `applied extension build` from the site registry
  const site = SITES.find(([host]) => new RegExp(host).test(location.hostname)) || [null, "", null];
  const CONTROLS = 'a, button, [role="button"], input[type="submit"], input[type="button"]';
  // What may turn a page into a posting when it appears: a heading, a control, data, a site's marker.
  const RELEVANT = `h1, h2, ${CONTROLS}, script, title${site[1] ? `, ${site[1]}` : ""}`;

  // The mark's fixed size: the page can measure the host, and learns nothing from it.
  const WIDTH = 272;
  const HEIGHT = 34;
  const ROOM = WIDTH - 20; // for the words: the mark less a margin on each side
  const FONT = (px) => `600 ${px}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;
  const STYLE = `
    :host { all: initial; display: inline-block; width: ${WIDTH}px; height: ${HEIGHT}px; margin: 0 8px;
            vertical-align: middle; contain: strict; }
    .box { all: initial; display: block; box-sizing: border-box; width: ${WIDTH}px; height: ${HEIGHT}px; padding: 0;
           border-radius: 999px; border: 1px solid #1f7a45; box-shadow: 0 1px 4px rgba(0,0,0,.18); background: #fff; }
    button.box { cursor: pointer; background: #1f7a45; }
    button.box:hover { background: #176138; }
    button.box:focus-visible { outline: 3px solid #8fd1ae; outline-offset: 2px; }
    button.box:disabled { cursor: progress; opacity: .85; }
    .box.error { border-color: #c4332b; }
    button.box.error { background: #c4332b; }
    .box.check { border-color: #9a6200; }
    canvas { display: block; width: ${WIDTH - 2}px; height: ${HEIGHT - 2}px; pointer-events: none; }
  `;
  // Where no apply button is found, the mark floats in a corner: said by the shadow root's own style,
  // so that the host carries no attribute at all.
  const FLOATING = ":host { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; margin: 0; }";

  let view = null; // {host, root}: the button's shadow-DOM home on the page
  let pageUrl = null; // the URL the view belongs to
  let shown = null; // what the view shows for pageUrl (kept so a re-rendering site cannot lose it)
  let forced = false; // captured from the popup/menu on a page that does not look like a posting
  let kind = null; // what this page is: posting | step (apply form, confirmation) | null
  let remembered = null; // on a step: {title, company} of the posting this tab opened before it
  let busy = null;
  let deferred = false; // a URL the page moved to by itself waits for the person before it is looked up
  let asked = false; // the worker was asked about pageUrl (once per address)

  /** The URL of the posting on screen (LinkedIn's search view shows one posting by its id). */
  function postingUrl() {
    const url = new URL(location.href);
    const jobId = url.searchParams.get("currentJobId");
    if (/(^|\.)linkedin\.com$/.test(url.hostname) && jobId && /^\d+$/.test(jobId) && !url.pathname.includes("/jobs/view/")) {
      return `https://${url.hostname}/jobs/view/${jobId}/`;
    }
    return location.href;
  }

  const textOf = (element) => (element.value || element.textContent || "").replace(/\s+/g, " ").trim();
  const isApplyText = (text) => text.length > 1 && text.length < 40 && APPLY_WORD.test(text) && !NOT_APPLY.test(text);

  function hasPosting() {
    // Structured data first, the site's own marker second, a title beside an apply control last.
    for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
      if (script.textContent.includes("JobPosting")) return true;
    }
    if (site[1] && document.querySelector(site[1])) return true;
    if (site[2]?.length && hasSiteData(site[2])) return true;
    // Most pages have neither heading nor apply control: the cheap question first.
    const heading = titleHeading();
    return Boolean(heading && findApplyButton(heading));
  }

  function hasSiteData(words) {
    for (const script of document.querySelectorAll("script:not([src])")) {
      if (words.every((word) => script.textContent.includes(word))) return true;
    }
    return false;
  }

  /** The page's title heading: its h1, or an h2 when it has no h1 (BambooHR, Lever, Google). */
  const titleHeading = () => document.querySelector("h1") || document.querySelector("h2");
  // The posting's title as the page shows it (its heading, else the tab's title): a capture's first look.
  const pageTitle = () => textOf(titleHeading() || { textContent: document.title }).slice(0, 300);

  /**
   * The apply control beside the title heading: looked for in the heading's surroundings, widening
   * a few levels at a time, so a long page of links is not read through for nothing.
   */
  function findApplyButton(heading = titleHeading()) {
    let scope = heading?.parentElement || document.body;
    for (let level = 0; scope && level < 8; level++) {
      const found = applyControlIn(scope);
      if (found || scope === document.body) return found;
      scope = scope.parentElement;
    }
    return null;
  }

  function applyControlIn(scope) {
    const candidates = scope.querySelectorAll(CONTROLS);
    for (let i = 0; i < candidates.length && i < 600; i++) {
      const element = candidates[i];
      const raw = element.value || element.textContent;
      // Most links are longer than any apply control, or hold no apply word: both are cheap to see.
      if (!raw || raw.length > 80 || !APPLY_WORD.test(raw)) continue;
      if (isApplyText(textOf(element)) && element.getClientRects().length) return element;
    }
    return null;
  }

  /** True when the page says an application went through ("Thank you for applying", "Bewerbung eingegangen"...). */
  function isConfirmation() {
    if (CONFIRMATION.test(document.title)) return true;
    const places = document.querySelectorAll('h1, h2, h3, [role="alert"], [role="status"]');
    for (let i = 0; i < places.length && i < 200; i++) {
      const text = textOf(places[i]);
      if (text.length < 300 && CONFIRMATION.test(text)) return true;
    }
    return false;
  }

  /** An application form or a confirmation: the posting is the one this tab showed before. */
  const isStep = () => STEP_PATH.test(location.pathname) || Boolean(document.querySelector('form input[type="file"]')) ||
    isConfirmation();

  function mount() {
    // A plain <span> with no attribute: nothing in the page's DOM names Applied, so a site cannot learn
    // from its markup that the visitor uses it (a name of our own, even a random one kept per install,
    // would tell, or follow the person from site to site).
    const host = document.createElement("span");
    // Closed: the page's scripts cannot read what the person tracks, nor press the button.
    const root = host.attachShadow({ mode: "closed" });
    const style = document.createElement("style");
    const anchor = findApplyButton();
    const inline = Boolean(anchor && kind === "posting");
    style.textContent = inline ? STYLE : STYLE + FLOATING;
    root.append(style, document.createElement("span"));
    if (inline) anchor.insertAdjacentElement("afterend", host);
    else (document.body || document.documentElement).append(host);
    view = { host, root };
  }

  function unmount() {
    view?.host.remove();
    view = null;
  }

  const formatDay = (day, weekday = true) => new Date(`${day}T00:00`)
    .toLocaleDateString(language, { weekday: weekday ? "short" : undefined, month: "short", day: "numeric" });

  /**
   * What the mark says for a state: {text, long (for assistive technology), shorter (drawn, in order,
   * where the text does not fit), button, tone}.
   */
  function words(state) {
    const posting = remembered?.title
      ? (remembered.company ? t("button_posting_at", remembered.title, remembered.company) : remembered.title) : "";
    const about = posting ? ` (${posting})` : "";
    if (state.kind === "tracked") {
      const status = label(state.application.status);
      if (state.review) {
        return { text: t("button_tracked_check", status), shorter: [t("button_tracked_check_short", status), `${status} ✓`],
                 long: t("button_tracked_check_long", status, about), button: true, tone: "check" };
      }
      const due = state.next_followup?.due;
      const followUp = (key, weekday) => (due ? [t(key, formatDay(due, weekday))] : []);
      const line = (...parts) => [`${status} ✓`, ...parts].join(" · ");
      const text = line(...followUp("button_follow_up", true), ...(state.duplicate ? [t("button_note_duplicate")] : []));
      const shorter = [line(...followUp("button_follow_up", true)), line(...followUp("button_follow_up", false)),
                       line(...followUp("button_follow_up_short", false)), line()];
      return { text, shorter, long: t("button_tracked_long", text, about) };
    }
    if (state.kind === "saved") {
      return { text: t("button_saved"), shorter: [t("button_saved_short")], long: t("button_saved_long", about), button: true };
    }
    if (state.kind === "queued") {
      const text = t(state.reason === "unpaired" ? "button_queued_unpaired" : "button_queued_down");
      return { text, shorter: [t("button_queued_short")], long: text };
    }
    if (state.kind === "confirm") {
      return { text: t("button_confirm"), shorter: [t("button_confirm_short")], long: t("common_not_posting"), button: true, tone: "check" };
    }
    if (state.kind === "busy") return { text: t("common_saving"), long: t("button_saving_long"), button: true };
    if (state.kind === "error") {
      return { text: t("button_error"), shorter: [t("button_error_short")], long: t("button_error_long", state.message), button: true,
               tone: "error" };
    }
    if (state.kind === "log") return { text: t("button_log"), shorter: [t("button_log_short")], long: t("button_log_long", about), button: true };
    return { text: t("common_i_applied"), long: t("button_new_long", about), button: true };
  }

  /**
   * The words to draw, in the context's font: the fullest that fits at 14, 13 or 12 px (never
   * smaller, whatever the language), else the shortest cut to fit with an ellipsis.
   */
  function fit(context, choices) {
    for (const text of choices) {
      for (const px of [14, 13, 12]) {
        context.font = FONT(px);
        if (context.measureText(text).width <= ROOM) return text;
      }
    }
    const letters = Array.from(choices.at(-1)); // the font is 12 px here
    while (letters.length > 1 && context.measureText(`${letters.join("").trimEnd()}…`).width > ROOM) letters.pop();
    return `${letters.join("").trimEnd()}…`;
  }

  /** Draw the words on a canvas the size of the mark. */
  function drawn(said, light) {
    const canvas = document.createElement("canvas");
    const scale = Math.max(1, Math.min(3, globalThis.devicePixelRatio || 1));
    const [width, height] = [WIDTH - 2, HEIGHT - 2];
    canvas.width = width * scale;
    canvas.height = height * scale;
    canvas.setAttribute("aria-hidden", "true");
    const context = canvas.getContext("2d");
    if (!context) return canvas;
    context.scale(scale, scale);
    const text = fit(context, [said.text, ...(said.shorter || [])]);
    context.fillStyle = light ? "#ffffff" : "#1f7a45";
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.fillText(text, width / 2, height / 2 + 1);
    return canvas;
  }

  /** state.kind: new | log | busy | tracked | saved | queued | confirm | error. */
  function render(state) {
    shown = state;
    if (!view) return;
    const old = view.root.lastChild;
    const said = words(state);
    let element;
    if (said.button) {
      element = document.createElement("button");
      element.type = "button";
      element.disabled = state.kind === "busy";
      element.addEventListener("click", (event) => {
        if (!event.isTrusted) return; // the page's own scripts cannot apply on the person's behalf
        if (shown?.kind === "tracked") send({ type: "openReview" }).catch(() => {});
        else capture({ anyway: shown?.kind === "confirm" });
      });
    } else {
      element = document.createElement("div");
      element.setAttribute("role", "status");
    }
    // Words for assistive technology (the closed root keeps them from the page; `window.find` reads no attributes).
    element.setAttribute("aria-label", said.text);
    if (said.long !== said.text) element.setAttribute("aria-description", said.long);
    element.dataset.kind = state.kind;
    if (state.next_followup?.due) element.dataset.due = state.next_followup.due;
    element.classList.add("box");
    if (said.tone) element.classList.add(said.tone);
    element.append(drawn(said, said.button && said.tone !== "check"));
    if (said.tone === "check") element.style.background = "#fff4de";
    view.root.replaceChild(element, old);
  }

  async function send(message) {
    try {
      const reply = await runtime.sendMessage(message);
      if (reply?.error) throw new Error(reply.error.message);
      return reply;
    } catch (error) {
      const gone = /context invalidated|receiving end/i.test(error.message);
      throw new Error(gone ? t("error_extension_reloaded") : error.message);
    }
  }

  async function lookup() {
    const url = pageUrl;
    asked = true;
    let reply;
    try {
      reply = await send({ type: "lookup", url, step: kind === "step", confirmation: kind === "step" && isConfirmation() });
    } catch {
      reply = { state: "new" };
    }
    if (url !== pageUrl || busy) return; // the person moved on, or clicked meanwhile
    if (reply.state === "companion") return stop(); // our own web view
    if (shown?.kind === "confirm" && reply.state !== "tracked") return; // the question waits for its answer
    remembered = reply.remembered || null;
    if (kind === "step" && !remembered && !forced) {
      if (hasPosting()) kind = "posting"; // an apply form that shows its posting, opened directly
      else return unmount(); // an apply form or a thank-you page of a posting this tab never showed
    }
    if (!view) {
      mount();
    }
    if (reply.state === "tracked" && reply.application.status !== "saved") {
      render({ kind: "tracked", application: reply.application, next_followup: reply.next_followup, review: reply.review });
    } else if (reply.state === "tracked") {
      render({ kind: "saved", application: reply.application }); // saved for later: a click logs it as applied
    } else if (reply.state === "queued") {
      render({ kind: "queued", reason: reply.reason }); // captured already, waiting to be sent
    } else {
      render({ kind: reply.confirmation ? "log" : "new" });
    }
  }

  /** Tell the worker which posting this tab shows, so the apply form and the thank-you page after it log this one. */
  function remember() {
    const url = pageUrl;
    const tell = () => {
      if (url !== pageUrl) return;
      const title = pageTitle();
      send({ type: "remember", url, html: pageHtml(), title }).catch(() => {});
    };
    // At once (the person may press the site's "Apply" right away), and again once a late-rendering
    // site has settled. Serializing the page is the only cost, and only postings pay it.
    tell();
    setTimeout(tell, 1500);
  }

  const pageHtml = () => (document.doctype ? `<!DOCTYPE ${document.doctype.name}>` : "") + document.documentElement.outerHTML;

  async function capture({ anyway = false } = {}) {
    if (busy) return busy;
    check({ force: true });
    const step = kind === "step" && Boolean(remembered);
    if (!step && !anyway && !hasPosting()) {
      // A menu or shortcut capture of something that does not look like a posting: ask first.
      render({ kind: "confirm" });
      return { state: "confirm", message: t("common_not_posting") };
    }
    performance.mark("applied:click");
    const wasSaved = shown?.kind === "saved"; // then this click logs it as applied: not "already tracked"
    render({ kind: "busy" });
    const url = pageUrl;
    const title = pageTitle(); // its name while it waits
    // The worker prefers the posting it remembers; unless the person said "log anyway", Applied's own
    // reading of the page (the popup's verdict too) may answer that it is no posting: then ask first.
    busy = send({ type: "capture", url, step, anyway, html: pageHtml(), title })
      .then((result) => {
        if (url === pageUrl) {
          if (result.state === "confirm") render({ kind: "confirm" });
          else if (result.state === "queued") render({ kind: "queued", reason: result.reason, message: result.message });
          else render({ kind: "tracked", application: result.application, next_followup: result.next_followup,
                        review: result.review?.needed, duplicate: result.state === "duplicate" && !wasSaved });
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
      const first = pageUrl === null;
      pageUrl = url;
      shown = null;
      forced = false;
      kind = null;
      remembered = null;
      asked = false;
      // A page's script can move the address with pushState as often as it likes; only a move that
      // follows the person's own click or key (or the page load itself) is looked up at once.
      deferred = !first && !force && !navigator.userActivation?.isActive;
    }
    forced ||= force;
    if (kind === "posting" && shown?.kind === "new" && !busy && isConfirmation()) {
      // The site thanked the person in place, without a new address: offer to log the posting it showed.
      kind = "step";
      remembered = { title: "" };
      render({ kind: "log" });
    }
    if (view?.host.isConnected) return;
    if (!kind) kind = hasPosting() ? (isStep() ? "step" : "posting") : isStep() ? "step" : null;
    if (!kind && !forced) return unmount();
    kind ||= "posting";
    if (kind === "step" && !shown) {
      if (!deferred && !asked) lookup(); // shown only when this tab opened a posting before (the worker knows)
      return;
    }
    mount();
    if (shown) render(shown);
    else {
      render({ kind: "new" });
      if (kind === "posting" && !remembered) remember();
      if (!deferred && !asked) lookup();
    }
  }

  /**
   * The person picked files in a file input (any form, added at any time): tell the worker their
   * names, so the popup can offer the stored document of that name. Names only: the files'
   * content is never read. Only the person's own picks count, not a page script's.
   */
  function onFilesPicked(event) {
    const input = event.target;
    if (!event.isTrusted || !(input instanceof HTMLInputElement) || input.type !== "file" || !input.files?.length) return;
    const names = Array.from(input.files, (file) => file.name).filter(Boolean).slice(0, 10);
    if (names.length) send({ type: "filesPicked", url: location.href, names }).catch(() => {});
  }

  /**
   * The person sent a form: their own click or key, which the browser marks with a user activation. A page
   * script's requestSubmit() fires a submit event the browser calls trusted too, but with no person behind
   * it; form.submit() fires none. Told to the worker, for whom only the confirmation that follows such a
   * submit may log the tab's posting by itself.
   */
  function onFormSent(event) {
    if (!event.isTrusted || !navigator.userActivation?.isActive) return;
    send({ type: "formSent", url: location.href }).catch(() => {});
  }

  /** The person acted on the page: a URL the page moved to by itself may now be looked up. */
  function onPersonActed(event) {
    if (!event.isTrusted || !deferred) return;
    deferred = false;
    if (kind) lookup();
  }

  // Single-page sites render the posting late and change it without reloading: look again
  // after the page changes (at most every 250 ms) and when the history moves.
  let pending = null;
  let lastHref = location.href;
  /** True when a change may matter: a new address, our mark gone, or something a posting is made of added. */
  function matters(records) {
    if (location.href !== lastHref || (view && !view.host.isConnected)) return true;
    for (const record of records) {
      if (record.target.nodeName === "TITLE") return true;
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && (node.matches(RELEVANT) || node.querySelector(RELEVANT))) return true;
      }
    }
    return false;
  }
  // Pages change all the time (tickers, feeds, ads): only changes that matter cost a look.
  const observer = new MutationObserver((records) => {
    if (pending || !matters(records)) return;
    pending = setTimeout(() => { pending = null; lastHref = location.href; check(); }, 250);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  const recheck = () => check(); // not check itself: its options must not come from an event
  addEventListener("popstate", recheck);
  addEventListener("hashchange", recheck);
  addEventListener("pointerdown", onPersonActed, true);
  addEventListener("keydown", onPersonActed, true);
  document.addEventListener("change", onFilesPicked, true); // capture: a form added later counts too
  document.addEventListener("submit", onFormSent, true);

  function stop() {
    observer.disconnect();
    removeEventListener("popstate", recheck);
    removeEventListener("hashchange", recheck);
    removeEventListener("pointerdown", onPersonActed, true);
    removeEventListener("keydown", onPersonActed, true);
    document.removeEventListener("change", onFilesPicked, true);
    document.removeEventListener("submit", onFormSent, true);
    unmount();
  }

  runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (message?.type === "capture-now") {
      capture({ anyway: Boolean(message.anyway) }).then(sendResponse);
      return true;
    }
    if (message?.type === "show") {
      // A capture made from the popup: the page shows its result like a click on the button.
      check({ force: true });
      const result = message.result || {};
      if (result.state === "queued") render({ kind: "queued", reason: result.reason, message: result.message });
      else if (result.application?.status === "saved") render({ kind: "saved", application: result.application });
      else if (result.application) render({ kind: "tracked", application: result.application, next_followup: result.next_followup,
                                            review: result.review?.needed, duplicate: result.state === "duplicate" });
      return false;
    }
    if (message?.type === "page") {
      // The popup's preview: what this tab would log (the remembered posting on an apply step), with its
      // rendered page unless only the quick look is asked for (`html: false`).
      check({ force: false });
      const step = kind === "step" && Boolean(remembered);
      const title = step ? "" : pageTitle();
      sendResponse({ url: postingUrl(), step, looks_like_posting: step || hasPosting(), title,
                     html: step || message.html === false ? "" : pageHtml(), button: Boolean(view?.host.isConnected),
                     confirmation: step && isConfirmation() });
      return false;
    }
    if (message?.type === "refresh") {
      shown = null;
      if (view) lookup();
    }
    return false;
  });

  check();
})();
