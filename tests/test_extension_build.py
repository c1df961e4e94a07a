"""`applied extension build`: folders and zips that Chrome and Firefox load as they are."""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from companion import __version__
from companion.security import EXTENSION_ID
from conftest import ROOT

MANIFEST = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
CHROMIUM = Path("/usr/bin/chromium")
WEB_EXT_CACHE = Path(os.environ.get("WEB_EXT_CACHE", "/tmp/webext"))  # where `npm install web-ext` may have put it


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "companion", "extension", "build", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def manifest_of(folder):
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def chrome_id(key):
    """Chrome's id for a manifest key: sha256 of the DER public key, first 32 hex digits mapped 0-f → a-p."""
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


def test_manifest_key_gives_the_extension_id_the_companion_allows():
    assert chrome_id(MANIFEST["key"]) == EXTENSION_ID


def test_manifest_version_follows_the_package_version():
    assert MANIFEST["version"] == __version__


def test_build_writes_folders_and_zips_for_both_browsers(dist):
    for browser in ("chrome", "firefox"):
        folder = dist / browser
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        with zipfile.ZipFile(dist / f"applied-{browser}.zip") as archive:
            assert sorted(archive.namelist()) == files  # manifest.json at the zip's top, as stores expect
            assert json.loads(archive.read("manifest.json")) == manifest_of(folder)


def test_build_holds_no_name_that_load_unpacked_rejects_nor_development_files(dist):
    for browser in ("chrome", "firefox"):
        folder = dist / browser
        # "Filenames starting with "_" are reserved for use by the system": _locales is the one they read.
        assert [p.name for p in folder.iterdir() if p.name.startswith("_")] == ["_locales"]
        assert sorted(p.name for p in (folder / "_locales").iterdir()) == ["de", "en", "es", "fr", "nl", "pt"]
        assert not (folder / "extension" / "_locales").exists()
        leftovers = [p for p in folder.rglob("*")
                     if p.name.startswith(".") or p.name == "__pycache__" or p.suffix in (".py", ".pyc")]
        assert leftovers == []


def test_firefox_gets_no_key_and_chrome_gets_no_gecko_settings(dist):
    chrome, firefox = manifest_of(dist / "chrome"), manifest_of(dist / "firefox")
    assert chrome["key"] == MANIFEST["key"] and "browser_specific_settings" not in chrome
    assert chrome["background"] == {"service_worker": "extension/service-worker.js", "type": "module"}
    assert "key" not in firefox
    assert firefox["background"] == {"scripts": ["extension/service-worker.js"], "type": "module"}
    gecko = firefox["browser_specific_settings"]["gecko"]
    # Page addresses and content leave the browser for the companion (README: "What the extension sends").
    assert gecko["data_collection_permissions"] == {"required": ["browsingActivity", "websiteContent"]}
    assert gecko["id"] and gecko["strict_min_version"]


def test_every_file_the_manifest_or_a_module_names_is_in_the_build(dist):
    folder = dist / "chrome"
    manifest = manifest_of(folder)
    named = [manifest["background"]["service_worker"], manifest["action"]["default_popup"],
             manifest["options_ui"]["page"], *manifest["icons"].values(), *manifest["action"]["default_icon"].values()]
    named += [script for entry in manifest["content_scripts"] for script in entry["js"]]
    for page in (manifest["action"]["default_popup"], manifest["options_ui"]["page"]):
        html = (folder / page).read_text(encoding="utf-8")
        named += [(Path(page).parent / ref).as_posix() for ref in re.findall(r'(?:src|href)="([^"#:]+)"', html)]
    modules = [Path(p) for p in named if p.endswith(".js")]
    while modules:  # follow every static import from the pages and the worker
        module = modules.pop()
        for ref in re.findall(r'^import .*?from "(\.[^"]+)"', (folder / module).read_text(encoding="utf-8"), re.M):
            target = Path(os.path.normpath(module.parent / ref))
            if target.as_posix() not in named:
                named.append(target.as_posix())
                modules.append(target)
    missing = [p for p in named if not (folder / p).is_file()]
    assert missing == []
    assert len(named) > 15


def test_default_build_runs_the_button_on_job_sites_only(dist, tmp_path):
    matches = manifest_of(dist / "chrome")["content_scripts"][0]["matches"]
    assert "https://*.myworkdayjobs.com/*" in matches
    # Every country host of the boards: ca.linkedin.com, uk.indeed.com, glassdoor.de...
    assert {"https://*.linkedin.com/jobs/*", "https://*.indeed.com/*", "https://*.glassdoor.de/*"} <= set(matches)
    assert not [m for m in matches if "127.0.0.1" in m or "localhost" in m]
    from companion.extension_build import build

    test_build = build(tmp_path, dev_hosts=["http://127.0.0.1/*"])
    assert "http://127.0.0.1/*" in manifest_of(test_build["firefox"])["content_scripts"][0]["matches"]
    assert manifest_of(test_build["chrome"])["name"].endswith("(test build)")


def test_every_site_and_the_opt_in_use_the_same_content_script(dist):
    manifest = manifest_of(dist / "chrome")
    # The button on every posting is opt-in: asked for when the person turns it on, never at install.
    assert manifest["optional_host_permissions"] == ["https://*/*", "http://*/*"]
    assert "https://*/*" not in manifest["host_permissions"]
    everywhere = (dist / "chrome" / "extension" / "everywhere.js").read_text(encoding="utf-8")
    assert 'js: ["extension/content.js"]' in everywhere
    # The web view's small script runs on loopback only.
    webview = [s for s in manifest["content_scripts"] if s["js"] == ["extension/webview.js"]]
    assert webview and webview[0]["matches"] == ["http://127.0.0.1/*", "http://localhost/*"]


def test_building_twice_gives_the_same_zips(dist, tmp_path):
    from companion.extension_build import build

    build(tmp_path)
    for browser in ("chrome", "firefox"):
        assert (tmp_path / f"applied-{browser}.zip").read_bytes() == (dist / f"applied-{browser}.zip").read_bytes()


def test_build_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    from companion.extension_build import build

    build(tmp_path)  # an earlier build is replaced...
    built = (tmp_path / "chrome" / "manifest.json").stat().st_mtime_ns
    mine = tmp_path / "firefox"
    shutil.rmtree(mine)
    mine.mkdir()
    (mine / "notes.txt").write_text("the person's own files")  # ...a folder of the person's is not
    result = subprocess.run([sys.executable, "-m", "companion", "extension", "build", "--out", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == f"applied: {mine} exists and is not an extension build: choose another --out\n"
    assert (mine / "notes.txt").read_text() == "the person's own files"
    assert (tmp_path / "chrome" / "manifest.json").stat().st_mtime_ns == built  # nor anything before refusing


def web_ext():
    """The web-ext command: $WEB_EXT, on PATH, in node_modules, in the npm cache folder, else None."""
    candidates = [os.environ.get("WEB_EXT"), shutil.which("web-ext"), ROOT / "node_modules/.bin/web-ext",
                  WEB_EXT_CACHE / "node_modules/.bin/web-ext"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    if shutil.which("npm"):
        # Install it once into the cache folder, outside the repository.
        WEB_EXT_CACHE.mkdir(parents=True, exist_ok=True)
        installed = subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                                    str(WEB_EXT_CACHE), "web-ext"], capture_output=True, timeout=300)
        binary = WEB_EXT_CACHE / "node_modules/.bin/web-ext"
        if installed.returncode == 0 and binary.is_file():
            return [str(binary)]
    return None


def test_web_ext_lint_finds_no_errors_in_the_firefox_build(dist):
    command = web_ext()
    if command is None:
        pytest.skip("web-ext is not available (needs node and npm: npm install web-ext)")
    result = subprocess.run(command + ["lint", "--output=json", "--source-dir", str(dist / "firefox")],
                            capture_output=True, text=True, timeout=180, cwd=dist)
    report = json.loads(result.stdout)
    assert report["errors"] == [], report["errors"]
    assert report["warnings"] == [], report["warnings"]


def test_chrome_load_unpacked_accepts_the_chrome_build(dist, tmp_path):
    """Load through Extensions.loadUnpacked: a person's "Load unpacked" path, stricter than --load-extension."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (/usr/bin/chromium): apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--enable-unsafe-extension-debugging"]
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=args,
            ignore_default_args=["--disable-extensions"])
        try:
            session = context.browser.new_browser_cdp_session()
            loaded = session.send("Extensions.loadUnpacked", {"path": str(dist / "chrome")})
            assert loaded["id"] == EXTENSION_ID
            with pytest.raises(Exception, match="reserved"):  # the same check refuses what we leave out
                broken = tmp_path / "broken"
                shutil.copytree(dist / "chrome", broken)
                (broken / "__pycache__").mkdir()
                session.send("Extensions.loadUnpacked", {"path": str(broken)})
        finally:
            context.close()


MATCH_PATTERN = re.compile(r"(https?)://(\*|(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)(/.*)")


def _covers(pattern, other):
    """True when every URL `other` matches is matched by `pattern` too (scheme, host with *., path with *)."""
    scheme, host, path = MATCH_PATTERN.fullmatch(pattern).groups()
    scheme2, host2, path2 = MATCH_PATTERN.fullmatch(other).groups()
    bare = host2.removeprefix("*.")
    hosts = host == "*" or host == host2 or (host.startswith("*.") and (bare == host[2:] or bare.endswith(host[1:])))
    paths = re.fullmatch(re.escape(path).replace(r"\*", ".*"), path2) is not None
    return scheme == scheme2 and hosts and paths


def test_the_manifests_host_lists_are_well_formed_without_duplicates_and_run_the_button_where_access_is_granted(dist):
    for browser in ("chrome", "firefox"):
        manifest = manifest_of(dist / browser)
        granted = manifest["host_permissions"]
        button = manifest["content_scripts"][0]["matches"]
        for patterns in (granted, button):
            assert all(MATCH_PATTERN.fullmatch(p) for p in patterns), [p for p in patterns if not MATCH_PATTERN.fullmatch(p)]
            covered = [(p, q) for p in patterns for q in patterns if p != q and _covers(q, p)]
            assert len(set(patterns)) == len(patterns) and covered == [], covered  # each site named once
        # The job sites granted are the sites the button runs on (loopback is granted for the companion only).
        assert set(granted) - {"http://127.0.0.1/*", "http://localhost/*"} == set(button)


def _host_of(pattern):
    return MATCH_PATTERN.fullmatch(pattern).group(2)


def test_every_host_a_site_module_reads_is_in_the_built_manifest_and_every_manifest_site_has_a_module(dist):
    from companion.extract.registry import SITES, site_for

    button = manifest_of(dist / "chrome")["content_scripts"][0]["matches"]
    golden = {}  # every address a golden page of a site module was captured at: hosts the modules read
    for case in (ROOT / "tests" / "extract").glob("*/*.json"):
        golden_case = json.loads(case.read_text(encoding="utf-8"))
        url, key = golden_case["url"], site_for(golden_case["url"]).key
        if key != "generic" and urlsplit(url).scheme == "https" and "expected" in golden_case:
            golden.setdefault(key, []).append(url)
    assert len(golden) > len(SITES) - 5  # most modules' pages are on their own hosts (a few are embeds elsewhere)
    for cls in SITES.values():
        for spec in cls.hosts:  # each declared host, with its path, in the lists the browser reads
            host, _, path = spec.partition("/")
            assert [p for p in button if _matches(p, host.replace("*.", "www."), "/" + path.rstrip("*") + "x")], spec
    for key, urls in golden.items():
        for url in urls:
            host, path = urlsplit(url).hostname, urlsplit(url).path
            assert [p for p in button if _matches(p, host, path)], f"{key}: the button does not run on {url}"
    for pattern in button:
        # a host of that pattern ("*.bamboohr.com" → "acme.bamboohr.com") is read by a module
        host = _host_of(pattern).replace("*", "acme")
        assert site_for(f"https://{host}/x").key != "generic", f"{pattern} names no site module"


def _matches(pattern, host, path):
    _, pattern_host, pattern_path = MATCH_PATTERN.fullmatch(pattern).groups()
    hosts = pattern_host == host or (pattern_host.startswith("*.") and
                                     (host == pattern_host[2:] or host.endswith(pattern_host[1:])))
    return hosts and re.fullmatch(re.escape(pattern_path).replace(r"\*", ".*"), path) is not None


def test_a_host_no_browser_accepts_is_refused_when_the_registry_loads():
    from companion.extract.base import split_host

    for bad in (r"jobs\.lever\.co", "*acme.com", "jobs.*.com", "Jobs.Lever.co", "jobs.lever.co:443"):
        with pytest.raises(ValueError, match="match patterns"):
            split_host(bad)


def test_the_built_content_script_knows_each_sites_posting_marker(dist):
    from companion.extract.registry import SITES

    source = (ROOT / "extension" / "content.js").read_text(encoding="utf-8")
    assert "const SITES = []; // written by `applied extension build`" in source  # the site list lives in the registry only
    for browser in ("chrome", "firefox"):
        built = (dist / browser / "extension" / "content.js").read_text(encoding="utf-8")
        table = json.loads(re.search(r"const SITES = (\[.*\]); // from the site registry", built).group(1))
        for cls in SITES.values():
            if cls.marker:  # the site's own hosts find its marker (a JavaScript regex Python reads alike)
                for host in (spec.split("/")[0].replace("*.", "jobs.") for spec in cls.hosts):
                    assert [m for h, m, _ in table if re.search(h, host)] == [cls.marker], (cls.key, host)
        assert not [m for h, m, _ in table if re.search(h, "careers.example.org")]
        assert {tuple(words) for _, _, words in table} >= {("jobOpeningName",), ("__appData", '"posting"')}
