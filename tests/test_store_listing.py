"""What the stores take besides the zips (store/): every permission and host pattern justified, the policy, the screenshots."""
import json
import re

from conftest import ROOT
from test_native_chromium import png_size

from companion.extension_build import source_manifest, with_sites

MANIFEST = with_sites(source_manifest())  # as built: the job sites' patterns come from the site modules
STORE = ROOT / "store"


def test_every_permission_and_host_pattern_the_manifest_asks_for_is_justified():
    text = (STORE / "permissions.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([^`]+)`", text))
    asked = set(MANIFEST["permissions"]) | set(MANIFEST["host_permissions"]) | set(MANIFEST["optional_host_permissions"])
    assert asked - named == set(), "store/permissions.md does not say why the manifest asks for these"
    patterns = {n for n in named if "://" in n}
    assert patterns - asked == set(), "store/permissions.md justifies patterns the manifest no longer asks for"
    assert "nativeMessaging" in MANIFEST["permissions"]


def test_the_listing_fits_the_stores_and_the_policy_says_what_leaves_the_browser():
    listing = (STORE / "listing.md").read_text(encoding="utf-8")
    summary = re.search(r"\*\*Summary\*\*.*?:\n(.+)\n", listing).group(1)
    english = json.loads((ROOT / "extension" / "_locales" / "en" / "messages.json").read_text(encoding="utf-8"))
    assert MANIFEST["description"] == "__MSG_ext_description__"
    assert len(summary) <= 132 and summary == english["ext_description"]["message"]
    policy = (STORE / "privacy.html").read_text(encoding="utf-8")
    declared = MANIFEST["browser_specific_settings"]["gecko"]["data_collection_permissions"]["required"]
    assert declared == ["browsingActivity", "websiteContent"]
    assert "browsing activity" in policy and "website content" in policy and "127.0.0.1" in policy


def test_the_screenshots_are_the_size_the_chrome_web_store_takes():
    shots = sorted((STORE / "screenshots").glob("*.png"))
    assert len(shots) >= 3
    assert {png_size(path) for path in shots} == {(1280, 800)}
