"""`python -m companion.extract.scaffold SITE [--host HOST] [--url URL]`: start a new site module.

Writes the three files a site needs, from templates, and refuses to overwrite any:
  companion/extract/sites/SITE.py         the JobSite subclass (fill in what differs)
  tests/extract/SITE/posting.html         a page to replace with one you write (no copied pages)
  tests/extract/SITE/posting.json         the golden posting, to fill in by reading the page
"""
import argparse
import json
import re
import sys
from pathlib import Path

from .base import split_host

ROOT = Path(__file__).resolve().parents[2]

MODULE = '''"""{title}: what its posting pages show differently from schema.org data (see ../README.md)."""
from ..sitekit import DeclaredSite


class {cls}(DeclaredSite):
    key = "{key}"
    hosts = ({host!r},)  # as match patterns write them: the build puts them in the extension's manifest
    # marker = ".job-header h1"     # found only on one posting, as the browser renders it (the button's evidence too)
    # embeds = ("#{key}-widget",)   # CSS selectors that reveal this board on another host's page
    # final = ("salary",)           # fields whose None is the page's answer

    # Say where each field is; JSON-LD (or the generic path) fills what these do not find:
    # logos = ("header img",)                               # the employer's logo: its alt names the company
    # selectors = {{"title": ".job-header h1", "apply_url": "a.apply@href"}}
    # labels = {{"locations": ("location", "standort")}}      # read beside these labels on the page
    # apply_step = r"^(.*/jobs/\\d+)/apply"                  # the application step's URL: the posting is group 1
    #
    # def load_data(self):                                  # the site's own JSON, then `paths` into it
    #     return self.page.assigned_json("__INITIAL_STATE__")
    # paths = {{"title": ("job", "title")}}
'''

PAGE = '''<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Example Job Title - Example Company | {title}</title>
<!-- Write a page that mirrors {title}'s real structure: head meta, scripts with its embedded data,
     navigation, cookie banner, similar-jobs block and footer as traps. Do not copy a real page. -->
</head>
<body>
<nav class="navbar"><a href="/">{title}</a></nav>
<main>
  <h1>Example Job Title</h1>
  <div class="job-description"><p>Describe the job here.</p></div>
</main>
<footer class="site-footer">Footer text</footer>
</body>
</html>
'''


def _class_name(key):
    return "".join(part.capitalize() for part in re.split(r"[^a-z0-9]+", key) if part) or "Site"


def scaffold(key, host=None, url=None, root=ROOT):
    """Write the module, page and golden JSON for ``key``; return their paths."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
        raise ValueError("SITE must be lower case letters, digits and underscores, starting with a letter")
    host = host or f"*.{key}.com"
    split_host(host)  # a ValueError names what a browser would not accept
    title = _class_name(key)
    module = root / "companion" / "extract" / "sites" / f"{key}.py"
    page = root / "tests" / "extract" / key / "posting.html"
    golden = page.with_suffix(".json")
    existing = [str(p) for p in (module, page, golden) if p.exists()]
    if existing:
        raise FileExistsError("already exists: " + ", ".join(existing))
    expected = {"title": "Example Job Title", "company": "Example Company", "locations": [], "remote": None,
                "employment_type": None, "salary": None, "date_posted": None, "valid_through": None,
                "description_text": "Describe the job here.", "description_html": "<p>Describe the job here.</p>",
                "apply_url": None, "company_logo": None, "source": key,
                "url": url or f"https://{key}.com/jobs/1"}
    page.parent.mkdir(parents=True, exist_ok=True)
    module.write_text(MODULE.format(title=title, cls=title, key=key, host=host), encoding="utf-8")
    page.write_text(PAGE.format(title=title), encoding="utf-8")
    golden.write_text(json.dumps({"url": expected["url"], "captured_at": "2026-01-15", "expected": expected},
                                 indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return module, page, golden


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m companion.extract.scaffold", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", help="the site key, e.g. workable (also the posting's `source`)")
    parser.add_argument("--host", help="the site's host as match patterns write it, e.g. apply.workable.com or "
                                       "'*.workable.com' (the domain and every subdomain)")
    parser.add_argument("--url", help="the URL of the page you will write, for the golden JSON")
    args = parser.parse_args(argv)
    try:
        paths = scaffold(args.site, args.host, args.url)
    except (ValueError, FileExistsError) as error:
        print(f"scaffold: {error}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path.relative_to(ROOT)}")
    print("next: write the page, fill in the module, run "
          f"`python -m pytest tests/test_extract.py -k {args.site}` and edit the JSON until it is right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
