"""Eightfold (<company>.eightfold.ai/careers?pid=<id>, and companies' own careers domains): the
`<code id="smartApplyData">` JSON the careers app reads, holding the open position and others."""
import re

from .. import jsonld
from ..base import find_dict
from ..sitekit import COMMON_LABELS, DeclaredSite, without_logo_words


class Eightfold(DeclaredSite):
    key = "eightfold"
    hosts = ("*.eightfold.ai",)
    labels = COMMON_LABELS  # a rendered capture has lost the script data
    embeds = ("code#smartApplyData",)
    paths = {"title": "name", "description": "job_description", "date_posted": "t_create",
             "remote": ["work_location_option", "location_flexibility"], "employment_type": "type",
             "apply_url": "canonicalPositionUrl"}
    selectors = {"company_logo": "header img@src"}

    def load_data(self):
        node = self.page.first("code#smartApplyData")
        values = jsonld.load_block(node.text()) if node is not None else []
        apply_data = values[0] if values and isinstance(values[0], dict) else {}
        wanted = str(apply_data.get("pid") or "") or next(iter(re.findall(r"(?:pid=|/job/)(\d+)", self.page.url or "")), "")
        positions = apply_data.get("positions") or []
        return find_dict(positions, lambda d: str(d.get("id")) == wanted) or (positions[0] if len(positions) == 1 else None)

    def company(self):
        return without_logo_words(self.page.meta.get("og:site_name"))

    def locations(self):
        return self.data.get("locations") or self.data.get("location")

    def canonical(self):
        return self.data.get("canonicalPositionUrl")
