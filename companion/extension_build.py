"""`applied extension build`: clean, loadable extension folders and zips for Chrome and Firefox.

The one manifest (manifest.json at the repository root) serves both browsers; the build only
takes away what each one does not want: Firefox gets no `key` and no `service_worker`,
Chrome no `background.scripts` and no gecko settings. The extension's files are copied as
they are (plain ES modules, no bundling), without dotfiles, caches, tests or scripts; the words
(extension/_locales) go to the folder's root, the only place browsers look for them.

The job sites come from the site registry (`companion/extract/registry.py`), the one list of them:
the build adds every site's match pattern to the manifest's `host_permissions` and to the
button's content script, and writes each site's posting marker into `extension/content.js`.
"""
import base64
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import click

from .errors import AppliedError
from .extract.registry import match_patterns, page_markers

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ("chrome", "firefox")
SKIP_SUFFIXES = (".py", ".pyc", ".map", ".md")
CONTENT_SCRIPT = "extension/content.js"
SITE_TABLE = "const SITES = []; // written by `applied extension build` from the site registry"
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so the same sources give the same zip
LOCALES = "_locales"  # the one name starting with "_" that browsers accept (they reserve the others)


def source_dir():
    """Where manifest.json and extension/ live: the checkout, or the copy shipped in the package."""
    for candidate in (ROOT, Path(__file__).resolve().parent / "extension_files"):
        if (candidate / "manifest.json").is_file() and (candidate / "extension").is_dir():
            return candidate
    raise AppliedError("cannot find manifest.json and extension/: run this from a checkout of Applied")


def with_sites(manifest):
    """The manifest with every job site of the registry granted and running the button's content script."""
    out = json.loads(json.dumps(manifest))
    sites = match_patterns()
    out["host_permissions"] = list(dict.fromkeys(out.get("host_permissions", []) + sites))
    for script in out.get("content_scripts", []):
        if script["js"] == [CONTENT_SCRIPT]:
            script["matches"] = list(dict.fromkeys(script["matches"] + sites))
    return out


def content_script(text):
    """The content script with the registry's site markers in place of its empty table."""
    if text.count(SITE_TABLE) != 1:
        raise AppliedError(f"{CONTENT_SCRIPT} must hold the line `{SITE_TABLE}` once, for the build to fill in")
    return text.replace(SITE_TABLE, "const SITES = %s; // from the site registry" % json.dumps(page_markers()))


def source_manifest():
    """The one manifest.json, as written."""
    return json.loads((source_dir() / "manifest.json").read_text(encoding="utf-8"))


def chrome_id(key):
    """Chrome's id for a manifest ``key``: the SHA-256 of the public key, its first 32 hex digits mapped 0-f to a-p."""
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


def browser_manifest(manifest, browser, dev_hosts=()):
    """The manifest as one browser wants it (``dev_hosts`` adds content-script matches for tests)."""
    out = json.loads(json.dumps(manifest))
    background = out["background"]
    if browser == "chrome":
        background.pop("scripts", None)
        out.pop("browser_specific_settings", None)
    else:
        background.pop("service_worker", None)
        out.pop("key", None)  # Chrome's id pinning; Firefox warns on it
    if dev_hosts:
        for script in out.get("content_scripts", []):
            script["matches"] = list(dict.fromkeys(script["matches"] + list(dev_hosts)))
        out["host_permissions"] = list(dict.fromkeys(out.get("host_permissions", []) + list(dev_hosts)))
        out["name"] += " (test build)"
    return out


def _wanted(path, base):
    parts = path.relative_to(base).parts
    if any((part.startswith((".", "_")) and part != LOCALES) or part in ("tests", "node_modules") for part in parts):
        return False
    return path.is_file() and not path.name.endswith(SKIP_SUFFIXES)


def _target(relative):
    """Where a source file goes in a build: extension/_locales/... to _locales/..., the rest as it is."""
    return Path(*relative.parts[1:]) if relative.parts[:2] == ("extension", LOCALES) else relative


def build(out_dir, dev_hosts=()):
    """Write <out>/chrome, <out>/firefox and their zips; return {browser: folder}."""
    source = source_dir()
    manifest = with_sites(source_manifest())
    files = sorted(p for p in (source / "extension").rglob("*") if _wanted(p, source))
    out_dir = Path(out_dir)
    for browser in BROWSERS:  # before anything is written or removed
        _check_replaceable(out_dir / browser)
    out_dir.mkdir(parents=True, exist_ok=True)
    folders = {}
    for browser in BROWSERS:
        folder = out_dir / browser
        if folder.exists():
            shutil.rmtree(folder)
        for path in files:
            target = folder / _target(path.relative_to(source))
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.relative_to(source).as_posix() == CONTENT_SCRIPT:
                target.write_text(content_script(path.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                shutil.copyfile(path, target)
        (folder / "manifest.json").write_text(
            json.dumps(browser_manifest(manifest, browser, dev_hosts), indent=2) + "\n", encoding="utf-8")
        _zip(folder, out_dir / f"applied-{browser}.zip")
        folders[browser] = folder
    return folders


def _check_replaceable(folder):
    """Refuse to replace a folder an earlier build did not write (--out may name a folder of the person's)."""
    if not folder.exists():
        return
    try:
        name = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["name"]
    except (OSError, ValueError, KeyError, TypeError):
        name = ""
    if not str(name).startswith(("Applied", "__MSG_ext_name__")):
        raise AppliedError(f"{folder} exists and is not an extension build: choose another --out")


def _zip(folder, zip_path):
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


@click.group("extension")
def extension_group():
    """The browser extension."""


@extension_group.command("build")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="dist", show_default=True,
              help="Folder to write chrome/, firefox/ and their zips into.")
@click.option("--dev-hosts", multiple=True, metavar="PATTERN",
              help="Also run the button on these match patterns, e.g. 'http://127.0.0.1/*' "
                   "(for testing with locally served pages; never in a build you hand out).")
def build_command(out_dir, dev_hosts):
    """Write extension folders for Chrome and Firefox that load as they are, and zips of them."""
    folders = build(out_dir, dev_hosts)
    for browser, folder in folders.items():
        click.echo(f"{browser}: {folder}  ({Path(out_dir) / f'applied-{browser}.zip'})")
    click.echo("Chrome: chrome://extensions → Developer mode → Load unpacked → the chrome folder.\n"
               "Firefox: about:debugging → This Firefox → Load Temporary Add-on → firefox/manifest.json.")
