"""The extension's words: every language holds every message, the code uses them all, and none is left in English in the code.

The words live in extension/_locales/<language>/messages.json (the build puts them at the extension's
root, where browsers read them). These tests read the sources; test_extension_french.py shows them in a
browser whose language is French.
"""
import json
import re
from html.parser import HTMLParser

import pytest
from conftest import ROOT

from companion.pipeline import STATUSES

EXTENSION = ROOT / "extension"
LOCALES = EXTENSION / "_locales"
LANGUAGES = ["de", "en", "es", "fr", "nl", "pt"]
MESSAGES = {language: json.loads((LOCALES / language / "messages.json").read_text(encoding="utf-8"))
            for language in LANGUAGES}
ENGLISH = MESSAGES["en"]
MANIFEST = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
SCRIPTS = sorted(p for p in EXTENSION.rglob("*.js") if "_locales" not in p.parts)
PAGES = sorted(EXTENSION.rglob("*.html"))
PLACEHOLDER = re.compile(r"\$([A-Za-z0-9_@]+)\$")
# Each message's key starts with where it shows (the README's layout says so).
AREAS = ("ext", "common", "status", "field", "button", "popup", "options", "connection", "error", "notify", "menu", "badge")
KEY = re.compile(rf"(?:{'|'.join(AREAS)})_[a-z0-9_]+")


def test_every_language_has_exactly_the_english_messages_with_the_same_placeholders():
    assert sorted(p.name for p in LOCALES.iterdir()) == LANGUAGES
    for language, messages in MESSAGES.items():
        assert list(messages) == list(ENGLISH), language  # same keys, same order: files read side by side
        for key, entry in messages.items():
            english = ENGLISH[key]
            assert entry["message"].strip(), (language, key)
            assert entry.get("placeholders", {}) == english.get("placeholders", {}), (language, key)
            used = {name.lower() for name in PLACEHOLDER.findall(entry["message"])}
            assert used == set(english.get("placeholders", {})), (language, key, entry["message"])
            assert "$$" not in entry["message"] and not re.search(r"\$\d", entry["message"]), (language, key)


def test_each_language_says_which_language_it_is_and_keeps_the_name():
    for language, messages in MESSAGES.items():
        assert messages["ext_language"]["message"] == language
        assert messages["ext_name"]["message"] == "Applied"
        assert len(messages["ext_description"]["message"]) <= 132, language  # the stores' limit


def test_the_manifest_takes_its_words_from_the_locales():
    assert MANIFEST["default_locale"] == "en"
    named = [MANIFEST["name"], MANIFEST["description"], MANIFEST["action"]["default_title"],
             *(command["description"] for command in MANIFEST["commands"].values())]
    assert all(re.fullmatch(r"__MSG_\w+__", text) for text in named), named


# -- the code uses every message, and every message it names exists --------------------------

def scripts_literals():
    """{(file name, literal)} for every string literal and template piece in the extension's scripts."""
    return {(path.relative_to(EXTENSION).as_posix(), text, context)
            for path in SCRIPTS for text, context in js_literals(path.read_text(encoding="utf-8"))}


class Page(HTMLParser):
    """An extension page's elements: (tag, attributes, text pieces and child elements, ancestors)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "content": [], "ancestors": list(self.stack)}
        if self.stack:
            self.stack[-1]["content"].append(element)
        self.elements.append(element)
        if tag not in ("meta", "link", "input", "br", "img"):
            self.stack.append(element)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()["tag"] != tag:
            pass

    def handle_data(self, data):
        if self.stack:
            self.stack[-1]["content"].append(data)


def parsed(path):
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page.elements


def test_every_message_the_extension_names_exists_and_every_message_is_used():
    named = set()
    for _, text, _ in scripts_literals():
        if KEY.fullmatch(text):
            named.add(text)
    for path in PAGES:
        for element in parsed(path):
            named |= {value for name, value in element["attrs"].items() if name.startswith("data-i18n")}
    named |= set(re.findall(r"__MSG_(\w+)__", json.dumps(MANIFEST)))
    assert sorted(named - set(ENGLISH)) == []  # a typo shows the key itself to the person

    # Statuses are looked up by name (`status_${status}`): one message for each of the companion's.
    assert sorted(key for key in ENGLISH if key.startswith("status_")) == sorted(f"status_{s}" for s in STATUSES)
    dynamic = {key for key in ENGLISH if key.startswith("status_")}
    assert sorted(set(ENGLISH) - named - dynamic) == []  # words nobody sees are words to keep in step for nothing


# -- no English left in the code -----------------------------------------------------------------

def test_the_extensions_pages_have_no_words_outside_the_locales_and_their_english_matches():
    for path in PAGES:
        for element in parsed(path):
            key = element["attrs"].get("data-i18n")
            localized = key or any("data-i18n" in a["attrs"] for a in element["ancestors"])
            in_code = element["tag"] in ("code", "script", "style") or \
                any(a["tag"] == "code" for a in element["ancestors"])
            words = " ".join(piece for piece in element["content"] if isinstance(piece, str)).strip()
            if re.search(r"[A-Za-z]", words) and not in_code:
                assert localized, f"{path.name}: <{element['tag']}> says {words!r} without data-i18n"
            for attribute in ("aria-label", "title", "placeholder", "alt"):
                if attribute in element["attrs"]:
                    assert f"data-i18n-{attribute}" in element["attrs"], f"{path.name}: {attribute} without data-i18n"
            if key:
                # The page's own English (shown before the script runs) is the English message.
                children = [piece for piece in element["content"] if not isinstance(piece, str)]
                english = ENGLISH[key]["message"]
                for name, placeholder in ENGLISH[key].get("placeholders", {}).items():
                    child = children[int(placeholder["content"][1:]) - 1]
                    english = english.replace(f"${name}$", f"<{child['tag']}>")
                own = "".join(piece if isinstance(piece, str) else f"<{piece['tag']}>" for piece in element["content"])
                assert " ".join(own.split()) == english, (path.name, key)


# Literals in the extension's scripts that read as words but are not shown to a person, and why.
NOT_FOR_PEOPLE = {
    ("api.js", "Firefox"): "the pairing request's name, shown in Applied's own (English) list of paired browsers",
    ("api.js", "Chrome"): "the same",
    ("api.js", "applied serve"): "a command the person types",
    ("api.js", "applied serve --port "): "the same",
    ("api.js", "Bearer "): "HTTP",
    ("start.js", "applied setup"): "a command the person types",
    ("browser.js", "native messaging is not available"): "caught where it is thrown: it means there is no host",
    ("capture.js", "a page may only ask about its own address"): "only a subverted page sees it",
    ("capture.js", "a capture is either applied or saved for later"): "a programming error",
    ("followups.js", "unknown follow-up action "): "a programming error",
    ("router.js", "no handler for "): "a programming error",
    ("router.js", " is not allowed from a web page"): "only a subverted page sees it",
    ("content.js", 'px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'): "a font",
}
# Where a literal is code, not words: regular expressions (what pages say), class names, selectors.
CODE_CONTEXTS = ("RegExp", "String.raw", "className", "querySelector", "querySelectorAll", "matches", "closest")


def reads_as_words(text):
    """Two words in a row ("I applied", "Start it in a terminal: "), or one capitalised word ("Saved", "Cancel")."""
    if re.search(r"[{};]", text):  # CSS, or code in a string
        return False
    return bool(re.search(r"[A-Za-z]+ +[A-Za-z]{2,}", text) or re.fullmatch(r"\s*[A-Z][a-z]{2,}[.!?…:]?\s*", text))


def test_the_extensions_scripts_leave_no_words_in_english_outside_the_locales():
    found = {(name, text) for name, text, context in scripts_literals()
             if reads_as_words(text) and context not in CODE_CONTEXTS}
    assert sorted(found - set(NOT_FOR_PEOPLE)) == []
    assert sorted(set(NOT_FOR_PEOPLE) - found) == []  # the list stays true as the code changes


def test_the_check_for_words_left_in_english_finds_them():
    # What a hurried change would leave behind, in each form the extension's code takes.
    sample = '''
      $("saved").textContent = "Saved.";
      const note = `Kept here until it can be sent: ${message}`;
      h("span", { className: f.overdue ? "overdue when" : "muted when" }, f.overdue ? "overdue since" : 'due today');
      notifications.create("x", { title: "Applied: not captured" });
      const pattern = /Thank you for applying/;  // a regular expression reads pages, it is not shown
      const selector = new RegExp(String.raw`merci (?:pour|de)`, "i");
    '''
    flagged = [text for text, context in js_literals(sample) if reads_as_words(text) and context not in CODE_CONTEXTS]
    assert flagged == ["Saved.", "Kept here until it can be sent: ", "overdue since", "due today", "Applied: not captured"]


# -- a small reader of JavaScript's string literals ---------------------------------------------------

REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {""}


def js_literals(source):
    """[(text, context)] for each string literal and template piece (its ${...} parts left out).

    context: "String.raw" for a raw template (the extension's regular expressions), else the property
    the literal is the value of ("className", "title"...), else the name of the call it is an argument
    of ("RegExp", "t", "querySelector"...), or "". Comments and regular-expression literals are skipped.
    """
    out = []
    _scan(source, 0, out, [], nested=False)
    return out


def _scan(source, i, out, calls, nested):
    """Read from i; with nested, stop after the `}` that closes a template's ${. Returns the position reached."""
    depth, previous, word, spaced, prop = 0, "", "", False, ""
    while i < len(source):
        char = source[i]
        if source.startswith("//", i):
            end = source.find("\n", i)
            i = len(source) if end < 0 else end
            continue
        if source.startswith("/*", i):
            i = source.index("*/", i) + 2
            continue
        if char in "'\"":
            end = i + 1
            while source[end] != char:
                end += 2 if source[end] == "\\" else 1
            out.append((_unescape(source[i + 1:end]), prop or (calls[-1] if calls else "")))
            i, previous, word = end + 1, "a", ""
            continue
        if char == "`":
            context = "String.raw" if source[:i].rstrip().endswith("String.raw") else prop or (calls[-1] if calls else "")
            i = _template(source, i + 1, out, calls, context)
            previous, word = "a", ""
            continue
        if char == "/" and (previous in REGEX_AFTER or word in ("return", "typeof")):
            i = _skip_regex(source, i)
            previous, word = "a", ""
            continue
        if char.isspace():
            i, spaced = i + 1, True
            continue
        if char.isalnum() or char in "_$.":
            word = word + char if previous == "w" and not spaced else char
            previous, spaced = "w", False
            i += 1
            continue
        if char == ":" and previous == "w":
            prop = word  # an object's property (or a ternary's branch, harmlessly)
        elif char in ",;{}()":
            prop = ""
        if char == "(":
            calls.append(word.split(".")[-1] if previous == "w" else "")
        elif char == ")" and calls:
            calls.pop()
        elif char == "{":
            depth += 1
        elif char == "}":
            if nested and depth == 0:
                return i + 1
            depth -= 1
        previous, word, spaced = char, "", False
        i += 1
    return i


def _template(source, i, out, calls, context):
    piece = []
    while source[i] != "`":
        if source[i] == "\\":
            piece.append(source[i:i + 2])
            i += 2
        elif source.startswith("${", i):
            out.append((_unescape("".join(piece), context), context))
            piece = []
            i = _scan(source, i + 2, out, calls, nested=True)
        else:
            piece.append(source[i])
            i += 1
    out.append((_unescape("".join(piece), context), context))
    return i + 1


def _skip_regex(source, i):
    i, in_class = i + 1, False
    while source[i] != "/" or in_class:
        if source[i] == "\\":
            i += 1
        elif source[i] == "[":
            in_class = True
        elif source[i] == "]":
            in_class = False
        i += 1
    i += 1
    while i < len(source) and source[i].isalpha():  # flags
        i += 1
    return i


def _unescape(text, context=""):
    return text if context == "String.raw" else re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize("source, expected", [
    ('t("a b") / 2', [("a b", "t")]),
    ("x = width / 2 + `p ${q('r')} s`", [("p ", ""), ("r", "q"), (" s", "")]),
    (r"if (!/^https?:\/\/'/.test(u)) f('k')", [("k", "f")]),
    ("new RegExp(String.raw`a\\s b`, 'i') // no 'c'", [("a\\s b", "String.raw"), ("i", "RegExp")]),
])
def test_the_literal_reader_reads_what_it_should(source, expected):
    assert js_literals(source) == expected
