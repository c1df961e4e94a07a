"""Teamtailor (<company>.teamtailor.com/jobs/<id>-<slug>, and companies' own domains on its CDN).

JSON-LD on the served job page; a rendered capture or the application step
(`/jobs/<id>-<slug>/applications/new`) keeps the header and the job's facts list
("Department", "Locations", "Remote status") in the career site's language.
"""
from ..sitekit import DeclaredSite, arrangement, employment_words, without_logo_words


class Teamtailor(DeclaredSite):
    key = "teamtailor"
    hosts = ("*.teamtailor.com",)  # <company>.teamtailor.com, <company>.na.teamtailor.com
    embeds = ('link[href*="teamtailor-cdn.com"]', 'script[src*="teamtailor-cdn.com"]', 'img[src*="teamtailor-cdn.com"]')
    logos = ("header img",)
    apply_step = r"^(.*/jobs/\d+[\w-]*)/applications"
    marker = 'a[href*="/applications/new"], form[action*="/applications"], #job-description'
    selectors = {"title": ("main h1", "h1"),
                 "description": ("#job-description", "[data-controller*='job-description']", "main .prose"),
                 "apply_url": 'a[href*="/applications/new"]@href'}
    labels = {"locations": ("locations", "location", "platser", "plats", "locaties", "locatie", "standorte", "standort",
                            "lokationer", "sijainnit", "sijainti"),
              "employment_type": ("employment type", "anställningsform", "dienstverband", "anstellungsart",
                                  "ansættelsestype", "työsuhde"),
              "remote": ("remote status", "distansarbete", "på distans", "thuiswerken", "op afstand", "remote-status",
                         "fjernarbejde", "etätyö")}

    def company(self):
        return without_logo_words(self.page.meta.get("og:site_name")) or self.employer()

    def employment_type(self):
        return employment_words(self.declared("employment_type"))  # "Heltid", "Deeltijds"

    def remote(self):
        status = self.declared("remote")
        return (arrangement(status) or status) if isinstance(status, str) else None

