"""Breezy HR (<company>.breezy.hr/p/<id>-<slug>): the position banner's `ul.meta` items and description."""
from ..sitekit import DeclaredSite


class Breezy(DeclaredSite):
    key = "breezy"
    hosts = ("*.breezy.hr",)
    logos = ('.brand img', 'img.logo')
    apply_step = r"^(.*/p/[\w-]+)/apply"
    marker = ".position .description, .banner ul.meta, a.apply[href*='/apply']"
    selectors = {"title": (".banner h1", ".position h1", "h1"),
                 "locations": (".banner ul.meta li.location span", "ul.meta li.location"),
                 "remote": ("ul.meta li.remote", "ul.meta li.location .remote"),
                 "employment_type": ("ul.meta li.type span", "ul.meta li.type"),
                 "salary": ("ul.meta li.salary span", "ul.meta li.salary"),
                 "description": (".position .description", ".description"),
                 "apply_url": ("a.apply[href*='/apply']@href", "a[href$='/apply']@href")}
