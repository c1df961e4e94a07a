"""Avature (<company>.avature.net/careers/JobDetail/<slug>/<id>, also on companies' own domains): the
portal's `article__content__view__field` label/value pairs, the page title and the apply button."""
from urllib.parse import urlsplit

from ..sitekit import DeclaredSite, with_foreign, has_inside, without_logo_words, without_place_suffix

_FIELD = ".article__content__view__field"


class Avature(DeclaredSite):
    key = "avature"
    hosts = ("*.avature.net",)
    embeds = (f"{_FIELD}__label", 'a[href*="ApplicationMethods?jobId="]')
    marker = f"{_FIELD}__value, .article--details"
    facts_scope = ("main",)  # the posting may span several `article--details` blocks
    # The job's name is the page's title; `article__header__text__title` heads sections ("Description & Requirements")
    selectors = {"title": ("meta:og:title", "title", ".banner__text__title"),
                 "apply_url": ('a.button--primary[href*="jobId="]@href', 'a[href*="ApplicationMethods?jobId="]@href',
                               'a[href*="Login?jobId="]@href', 'a[href*="/Apply"]@href'),
                 "company_logo": (".logo--header img@src", ".header__logo img@src", "header img@src")}
    labels = with_foreign({
        "locations": ("location", "locations", "work location", "job location", "city", "office location"),
        "employment_type": ("employment type", "job type", "schedule", "contract type", "work schedule"),
        "remote": ("workplace type", "work arrangement", "remote", "work model"),
        "date_posted": ("posted", "date posted", "posting date", "publish date"),
        "valid_through": ("closing date", "application deadline", "apply by"),
        "salary": ("salary", "salary range", "pay range", "compensation")})

    def title(self):
        places = self.locations()
        return without_place_suffix(self.declared("title"), [places] if isinstance(places, str) else places)

    def company(self):
        named = self.page.text_of(".header__logo h1, .logo--header h1")  # a visually hidden heading
        alt = self.page.attr_of(".logo--header img, .header__logo img, header img", "alt")
        return without_logo_words(named) or without_logo_words(alt) or without_logo_words(self.page.meta.get("og:site_name"))

    def locations(self):
        places = self.declared("locations")
        if isinstance(places, str) and "|" in places:
            return [p.strip() for p in places.split("|") if p.strip()]
        return places

    def description(self):
        """The field values holding the body (blocks of paragraphs or lists), not the short facts."""
        values = [n for n in self.page.css(f"{_FIELD}__value")
                  if has_inside(n, {"p", "ul", "ol", "br", "div"}) or len(n.text() or "") > 200]
        return "".join(n.html for n in values) or None

    def canonical(self):
        path = urlsplit(self.page.url or "").path
        return path if "/JobDetail/" in path else None  # without the search's ?jobRecordsPerPage=&source=
