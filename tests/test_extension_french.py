"""The extension in browsers whose language is French: the button, the popup and the options page speak French.

Chromium takes its language from LANGUAGE (Debian's chromium-l10n holds the French); Firefox ESR from
`intl.locale.requested` with Debian's French language pack (firefox-esr-l10n-fr). The button's words
are drawn on a canvas: the tests read them from its aria-label, and read the canvas itself (its
font and where its ink falls) to see they are drawn at 12 px or more and whole.
"""
import json
import os
import re
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from conftest import ROOT
from test_extension_chromium import (  # noqa: F401
    application_for,
    wait_until,
    chromium_with,
    companion,
    pair_in_options,
    site,
)
from test_extension_firefox import launch_firefox
from test_extension_firefox import pair_in_options as pair_firefox
from test_extension_i18n import LANGUAGES, MESSAGES

from companion.pipeline import STATUSES

CHROMIUM_FRENCH = Path("/usr/lib/chromium/locales/fr.pak")
FIREFOX_FRENCH = Path("/usr/lib/firefox-esr/browser/extensions/langpack-fr@firefox-esr.mozilla.org.xpi")
CONTENT_SCRIPT = (ROOT / "extension" / "content.js").read_text(encoding="utf-8")
NNBSP = "\u202f"  # French puts a narrow no-break space before ? ! : ;

# What the canvas holds: the size of the font its words were drawn in, and where their ink falls (CSS px).
CANVAS = """(canvas) => {
  if (!canvas.isConnected) return null;  // the button was drawn again meanwhile: read the new one
  const context = canvas.getContext("2d");
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  let top = height, bottom = -1, left = width, right = -1;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    if (data[(y * width + x) * 4 + 3] > 96) {
      top = Math.min(top, y); bottom = Math.max(bottom, y); left = Math.min(left, x); right = Math.max(right, x);
    }
  }
  const scale = canvas.width / canvas.getBoundingClientRect().width;
  return { px: parseFloat(/([\\d.]+)px/.exec(context.font)[1]), ink_height: (bottom - top + 1) / scale,
           margin: Math.min(left, width - 1 - right) / scale };
}"""


def assert_drawn_whole_at_12_px_or_more(drawn):
    assert drawn["px"] >= 12, drawn
    assert drawn["ink_height"] >= 8, drawn  # letters drawn (a 12 px capital is 9 px tall here)
    assert drawn["margin"] >= 4, drawn  # nothing cut at the mark's ends


# -- Chromium ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    if not CHROMIUM_FRENCH.exists():
        pytest.skip("Chromium's French is not installed: apt-get install chromium-l10n")
    with chromium_with(tmp_path_factory, extra_args=["--lang=fr"], env={**os.environ, "LANGUAGE": "fr"}) as browser:
        yield browser


@pytest.fixture(scope="module")
def paired(chromium, companion):
    return pair_in_options(chromium, companion)  # the code is found in the French words too


def drawn_in_chromium(chromium, page):
    """The button's canvas, read through the DevTools protocol (the page's own scripts cannot reach it). The
    button is drawn again when the companion's answer comes, maybe between the look at the tree and the read."""
    return wait_until(lambda: _canvas_in_chromium(chromium, page), 10, "the button's canvas")


def _canvas_in_chromium(chromium, page):
    def read(session, tree):
        canvas = next(node for node in _nodes(tree) if node.get("localName") == "canvas")
        remote = session.send("DOM.resolveNode", {"backendNodeId": canvas["backendNodeId"]})["object"]
        return session.send("Runtime.callFunctionOn", {"objectId": remote["objectId"], "returnByValue": True,
                                                       "functionDeclaration": f"function () {{ return ({CANVAS})(this); }}"}
                            )["result"]["value"]
    return chromium.host(page, read)


def _nodes(node):
    yield node
    for child in node.get("children", []) + node.get("shadowRoots", []):
        yield from _nodes(child)


def test_chromium_runs_in_french_and_the_options_page_speaks_it(chromium, paired):
    options = paired["options"]
    assert options.evaluate("chrome.i18n.getUILanguage()").startswith("fr")
    assert options.evaluate("document.documentElement.lang") == "fr"
    assert options.inner_text("h1") == f"Applied{NNBSP}: options"
    assert options.inner_text("#step-use strong") == "J’ai postulé"
    assert options.inner_text("#step-run code") == "applied setup"  # a command stays a command
    assert options.inner_text("#pair-state") == f"Associé{NNBSP}: ce navigateur peut enregistrer des candidatures."
    assert options.inner_text("#pair") == "Associer à nouveau"
    assert options.evaluate("chrome.action.getTitle({})") == "Applied"


def test_the_button_speaks_french_at_12_px_or_more_before_and_after_a_capture(chromium, paired, companion, site):
    url = site.add("lyon", "Ingénieure logicielle", "Atelier Lumière")
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "J’ai postulé")
    assert_drawn_whole_at_12_px_or_more(drawn_in_chromium(chromium, page))

    chromium.click_button(page)
    chip = chromium.wait_for_chip(page, lambda c: c["text"].startswith("Postulé ✓ · relancer le "))
    application = application_for(companion, url)
    assert (application["title"], application["status"]) == ("Ingénieure logicielle", "applied")
    day = page.evaluate("due => new Date(`${due}T00:00`).toLocaleDateString('fr', "
                        "{weekday: 'short', month: 'short', day: 'numeric'})", chip["due"])
    assert chip["text"] == f"Postulé ✓ · relancer le {day}"  # "Postulé ✓ · relancer le mar. 4 nov."
    assert_drawn_whole_at_12_px_or_more(drawn_in_chromium(chromium, page))

    popup = chromium.popup(chromium.tab_id(paired["options"], url))
    popup.wait_for_selector("#app-title")
    assert popup.evaluate("document.documentElement.lang") == "fr"
    assert popup.inner_text("#app-status option:checked") == "Postulé"
    assert popup.inner_text("#next-followup").startswith(f"Relancer le {day}")
    assert popup.inner_text("#edit") == "Modifier les détails"
    assert popup.inner_text("#webview") == "Ouvrir Applied ↗" and popup.inner_text("#options") == "Options"
    popup.close()
    page.close()


def test_a_capture_to_check_says_so_in_french_at_12_px_or_more(chromium, paired, companion, site):
    url = site.add("sans-nom", "Chargée de projet", "")  # no company on the page: something to check
    page = chromium.page(url)
    chromium.wait_for_chip(page, lambda c: c["text"] == "J’ai postulé")
    chromium.click_button(page)
    chromium.wait_for_chip(page, lambda c: c["text"] == "Postulé ✓ · vérifier les détails")
    assert_drawn_whole_at_12_px_or_more(drawn_in_chromium(chromium, page))
    popup = chromium.popup(chromium.tab_id(paired["options"], url))
    popup.wait_for_selector("#review-note")
    assert popup.inner_text("#review-note") == f"Nous n’avons pas pu lire l’entreprise{NNBSP}: vérifiez-la."
    assert popup.inner_text("#details label").startswith("Intitulé du poste")
    popup.close()
    page.close()


def test_every_languages_words_fit_the_button_at_12_px(chromium, paired):
    """Measured with the button's own font in this browser (DejaVu here: wider than most systems' fonts).

    In every language, at 12 px: the button's words in every state but a tracked one show whole, as do
    a fresh application's (applied, screening, interviewing) follow-up date on any day of the year and
    its "check details"; and the words drawn when nothing longer fits are whole for every status.
    """
    room = int(re.search(r"const WIDTH = (\d+);", CONTENT_SCRIPT).group(1)) - \
        int(re.search(r"const ROOM = WIDTH - (\d+);", CONTENT_SCRIPT).group(1))
    font = re.search(r"const FONT = \(px\) => `(.*)`;", CONTENT_SCRIPT).group(1).replace("${px}", "12")

    def message(language, key, *values):
        entry = MESSAGES[language][key]
        text = entry["message"]
        for name, placeholder in entry.get("placeholders", {}).items():
            text = text.replace(f"${name}$", values[int(placeholder["content"][1:]) - 1])
        return text

    days = paired["options"].evaluate("""languages => Object.fromEntries(languages.map(language => [language,
        Array.from({length: 12}, (_, month) => new Date(2026, month, 28).toLocaleDateString(language,
        {month: "short", day: "numeric"}))]))""", LANGUAGES)
    lines = {}
    for language in LANGUAGES:
        status = {name: message(language, f"status_{name}") for name in STATUSES}
        fresh = [status[name] for name in ("applied", "screening", "interviewing")]
        whole = [message(language, key) for key in ("common_i_applied", "common_saving", "button_log", "button_error",
                                                     "button_confirm", "button_queued_unpaired", "button_queued_down",
                                                     "button_saved")]
        whole += [message(language, "button_tracked_check", word) for word in fresh]
        whole += [f"{word} ✓ · {message(language, 'button_follow_up_short', day)}" for word in fresh for day in days[language]]
        last = [message(language, key) for key, entry in MESSAGES[language].items()
                if key.startswith("button_") and key.endswith("_short") and not entry.get("placeholders")]
        last += [f"{word} ✓" for word in status.values()]
        last += [message(language, "button_tracked_check_short", word) for word in status.values()]
        lines[language] = whole + last
    widths = paired["options"].evaluate("""([lines, font]) => {
      const context = document.createElement("canvas").getContext("2d");
      context.font = font;
      return Object.fromEntries(Object.entries(lines).map(([language, texts]) =>
        [language, texts.map(text => [text, context.measureText(text).width])]));
    }""", [lines, font])
    too_long = {language: [(text, round(width)) for text, width in measured if width > room]
                for language, measured in widths.items()}
    assert too_long == {language: [] for language in LANGUAGES}, f"room for {room} px at 12 px: {json.dumps(too_long)}"


# -- Firefox ESR ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def firefox(tmp_path_factory):
    if not FIREFOX_FRENCH.exists():
        pytest.skip("Firefox's French language pack is not installed: apt-get install firefox-esr-l10n-fr")
    with launch_firefox(tmp_path_factory, preferences={"intl.locale.requested": "fr"}) as browser:
        yield browser


def test_firefox_in_french_shows_the_button_and_the_popup_in_french(firefox, companion, site):
    paired = pair_firefox(firefox, companion)
    assert firefox.run("return browser.i18n.getUILanguage()").startswith("fr")
    url = site.add("nantes", "Développeur web", "Port Atlantique")
    page = firefox.page(url)
    firefox.wait_for_chip(lambda c: c["text"] == "J’ai postulé")
    def drawn():
        try:
            canvas = firefox.host().shadow_root.find_element(firefox.By.CSS_SELECTOR, "canvas")
            return firefox.run(f"return ({CANVAS})(arguments[0])", canvas)
        except StaleElementReferenceException:  # drawn anew between the look and the read
            return None
    assert_drawn_whole_at_12_px_or_more(wait_until(drawn, 10, "the button's canvas"))

    firefox.on(paired["options"])
    firefox.popup(firefox.tab_id(url))
    assert firefox.wait_for("#capture").text == "J’ai postulé"
    assert firefox.find("#save-later").text == "Garder pour plus tard"
    assert firefox.find("#page-note").text == f"Vérifiez les détails avant d’enregistrer{NNBSP}:"
    firefox.find("#capture").click()
    firefox.wait_for("#app-title")
    assert firefox.find("#app-status option:checked").text == "Postulé"
    firefox.on(page)
    firefox.wait_for_chip(lambda c: c["text"].startswith("Postulé ✓ · relancer le "))
    assert application_for(companion, url)["title"] == "Développeur web"
